import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import { cfnIgnoredObject, cfnString, cfnStrings, cfnTags } from '../cloudformation/property-types.js';
import type { ResourceProvider } from '../types.js';
import type { DomainNames } from './domain-names.js';

// The types' full property sets:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-domainname.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-basepathmapping.html
const domainNameProperties = z.strictObject({
  CertificateArn: cfnString().optional(),
  DomainName: cfnString().optional(),
  EndpointAccessMode: cfnString().optional(),
  EndpointConfiguration: z.strictObject({ IpAddressType: cfnString().optional(), Types: cfnStrings().optional(), VpcEndpointIds: cfnStrings().optional() }).optional(),
  MutualTlsAuthentication: cfnIgnoredObject().optional(),
  OwnershipVerificationCertificateArn: cfnString().optional(),
  RegionalCertificateArn: cfnString().optional(),
  RoutingMode: cfnString().optional(),
  SecurityPolicy: cfnString().optional(),
  Tags: cfnTags().optional(),
});
const basePathMappingProperties = z.strictObject({
  BasePath: cfnString().optional(),
  DomainName: cfnString(),
  Id: cfnString().optional(),
  RestApiId: cfnString().optional(),
  Stage: cfnString().optional(),
});

const quietly = (fn: () => void): void => {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof AwsError && err.code === 'NotFoundException')) throw err;
  }
};

export function domainNameResources(names: DomainNames): ResourceProvider[] {
  const attributes = (v: ReturnType<DomainNames['get']>) => ({
    RegionalDomainName: v.regionalDomainName,
    RegionalHostedZoneId: v.regionalHostedZoneId,
    DistributionDomainName: v.distributionDomainName,
    DistributionHostedZoneId: v.distributionHostedZoneId,
  });
  const domainName = defineResource({
    type: 'AWS::ApiGateway::DomainName',
    properties: domainNameProperties,
    async create(ctx, props) {
      const v = names.create(ctx.region, {
        domainName: props.DomainName,
        certificateArn: props.CertificateArn,
        regionalCertificateArn: props.RegionalCertificateArn,
        endpointConfiguration: props.EndpointConfiguration?.Types ? { types: props.EndpointConfiguration.Types } : undefined,
        securityPolicy: props.SecurityPolicy,
      });
      return { physicalId: v.domainName, attributes: attributes(v) };
    },
    replaceOn: ['DomainName', 'EndpointConfiguration', 'CertificateArn', 'RegionalCertificateArn'],
    async delete(ctx, physicalId) {
      quietly(() => names.delete(ctx.region, physicalId));
    },
  });
  const mapping = defineResource({
    type: 'AWS::ApiGateway::BasePathMapping',
    properties: basePathMappingProperties,
    async create(ctx, props) {
      const m = names.createMapping(ctx.region, props.DomainName, { basePath: props.BasePath, restApiId: props.RestApiId, stage: props.Stage });
      return { physicalId: `${props.DomainName}/${m.basePath}`, attributes: {} };
    },
    replaceOn: ['DomainName', 'BasePath', 'RestApiId', 'Stage'],
    async delete(ctx, _physicalId, props) {
      quietly(() => names.deleteMapping(ctx.region, props.DomainName, props.BasePath ?? ''));
    },
  });
  return [domainName, mapping];
}

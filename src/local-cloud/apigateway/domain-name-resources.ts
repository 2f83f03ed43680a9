import { AwsError } from '../aws-error.js';
import type { ResourceProvider } from '../types.js';
import type { DomainNames } from './domain-names.js';

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
  const domainName: ResourceProvider = {
    type: 'AWS::ApiGateway::DomainName',
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
  };
  const mapping: ResourceProvider = {
    type: 'AWS::ApiGateway::BasePathMapping',
    async create(ctx, props) {
      const m = names.createMapping(ctx.region, props.DomainName, { basePath: props.BasePath, restApiId: props.RestApiId, stage: props.Stage });
      return { physicalId: `${props.DomainName}/${m.basePath}`, attributes: {} };
    },
    replaceOn: ['DomainName', 'BasePath', 'RestApiId', 'Stage'],
    async delete(ctx, _physicalId, props) {
      quietly(() => names.deleteMapping(ctx.region, props.DomainName, props.BasePath ?? ''));
    },
  };
  return [domainName, mapping];
}

// CloudFormation provider for AWS::CertificateManager::Certificate, with the type's full property set
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-certificatemanager-certificate.html;
// DomainValidationOption: aws-properties-certificatemanager-certificate-domainvalidationoption.html).
import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import { cfnString, cfnStrings, cfnTags } from '../cloudformation/property-types.js';
import type { ResourceProvider } from '../types.js';
import type { Certificates } from './domain.js';
import { validateThroughZone } from './cfn-validation.js';

export const certificateProperties = z.strictObject({
  CertificateAuthorityArn: cfnString().optional(),
  CertificateExport: z.enum(['ENABLED', 'DISABLED']).optional(),
  CertificateTransparencyLoggingPreference: z.enum(['ENABLED', 'DISABLED']).optional(),
  DomainName: cfnString(),
  DomainValidationOptions: z.array(z.strictObject({ DomainName: cfnString(), HostedZoneId: cfnString().optional(), ValidationDomain: cfnString().optional() })).optional(),
  KeyAlgorithm: cfnString().optional(),
  SubjectAlternativeNames: cfnStrings().optional(),
  Tags: cfnTags().optional(),
  ValidationMethod: z.enum(['DNS', 'EMAIL', 'HTTP']).optional(),
});
export type CertificateProperties = z.output<typeof certificateProperties>;

export function certificateResource(certs: Certificates): ResourceProvider {
  return defineResource({
    type: 'AWS::CertificateManager::Certificate',
    properties: certificateProperties,
    async create(ctx, props) {
      const arn = certs.request(ctx.region, {
        DomainName: props.DomainName,
        SubjectAlternativeNames: props.SubjectAlternativeNames,
        ValidationMethod: props.ValidationMethod,
      });
      await validateThroughZone(ctx, certs, arn, props);
      return { physicalId: arn, attributes: {} };
    },
    replaceOn: ['DomainName', 'SubjectAlternativeNames', 'ValidationMethod', 'DomainValidationOptions', 'KeyAlgorithm', 'CertificateAuthorityArn'],
    async delete(ctx, physicalId) {
      try {
        certs.delete(ctx.region, physicalId);
      } catch (err) {
        if (!(err instanceof AwsError && err.code === 'ResourceNotFoundException')) throw err;
      }
    },
  });
}

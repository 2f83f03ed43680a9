import { AwsError } from '../aws-error.js';
import { jsonProtocol } from '../protocols/json.js';
import type { ResourceProvider, ServiceFactory } from '../types.js';
import { publicRecordValues } from '../route53/delegation.js';
import { Certificates } from './domain.js';
import { validateThroughZone } from './cfn-validation.js';

export { Certificates } from './domain.js';

function certificateResource(certs: Certificates): ResourceProvider {
  return {
    type: 'AWS::CertificateManager::Certificate',
    async create(ctx, props) {
      const arn = certs.request(ctx.region, {
        DomainName: props.DomainName,
        SubjectAlternativeNames: props.SubjectAlternativeNames,
        ValidationMethod: props.ValidationMethod,
      });
      await validateThroughZone(ctx, certs, arn, props);
      return { physicalId: arn, attributes: {} };
    },
    replaceOn: ['DomainName', 'SubjectAlternativeNames', 'ValidationMethod', 'DomainValidationOptions', 'KeyAlgorithm'],
    async delete(ctx, physicalId) {
      try {
        certs.delete(ctx.region, physicalId);
      } catch (err) {
        if (!(err instanceof AwsError && err.code === 'ResourceNotFoundException')) throw err;
      }
    },
  };
}

// ACM (awsJson1_1, X-Amz-Target: CertificateManager.*), regional.
export const createAcmService: ServiceFactory<'acm'> = (ctx) => {
  const certs = new Certificates(ctx, (name, type) => {
    const r53 = ctx.service('route53');
    return r53 ? publicRecordValues(r53.zones, name, type) : [];
  });
  return {
    names: ['acm'],
    handle: jsonProtocol({
      service: 'acm',
      targetPrefix: 'CertificateManager',
      version: '1.1',
      ops: {
        RequestCertificate: async (input, req) => ({ CertificateArn: certs.request(req.region, input) }),
        DescribeCertificate: async (input, req) => ({ Certificate: certs.describe(req.region, input.CertificateArn) }),
        ListCertificates: async (input, req) => certs.list(req.region, input.CertificateStatuses),
        DeleteCertificate: async (input, req) => {
          certs.delete(req.region, input.CertificateArn);
          return {};
        },
      },
    }),
    resources: [certificateResource(certs)],
    domain: certs,
  };
};

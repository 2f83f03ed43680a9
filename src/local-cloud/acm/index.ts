import type { z } from 'zod';
import { jsonProtocol, type JsonOp } from '../protocols/json.js';
import { withInput } from '../protocols/validation.js';
import type { CloudRequest, ServiceFactory } from '../types.js';
import { publicRecordValues } from '../route53/delegation.js';
import { Certificates } from './domain.js';
import { certificateResource } from './resources.js';
import { acmInputs as inputs } from './validations.js';

const op = <S extends z.ZodType>(schema: S, fn: (input: z.output<S>, req: CloudRequest) => unknown): JsonOp =>
  withInput(schema, async (input: z.output<S>, req: CloudRequest) => fn(input, req));

export { Certificates } from './domain.js';

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
        RequestCertificate: op(inputs.RequestCertificate, (input, req) => ({ CertificateArn: certs.request(req.region, input) })),
        DescribeCertificate: op(inputs.DescribeCertificate, (input, req) => ({ Certificate: certs.describe(req.region, input.CertificateArn) })),
        ListCertificates: op(inputs.ListCertificates, (input, req) => certs.list(req.region, input.CertificateStatuses)),
        DeleteCertificate: op(inputs.DeleteCertificate, (input, req) => {
          certs.delete(req.region, input.CertificateArn);
          return {};
        }),
      },
    }),
    resources: [certificateResource(certs)],
    domain: certs,
  };
};

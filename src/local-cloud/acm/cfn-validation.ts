import { AwsError } from '../aws-error.js';
import { sleepOn } from '../realism.js';
import type { ResourceContext } from '../types.js';
import type { Certificates } from './domain.js';
import type { CertificateProperties } from './resources.js';

/**
 * What CloudFormation does for an AWS::CertificateManager::Certificate with DNS validation
 * (realism aws; the fast profile issues at once and writes nothing):
 * - when DomainValidationOptions name a HostedZoneId, it writes the validation CNAME into that
 *   zone (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-certificatemanager-certificate-domainvalidationoption.html),
 *   and leaves it there when the certificate is deleted;
 * - the resource completes only when ACM has issued the certificate, and fails when validation
 *   times out (72 hours, https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html).
 */
export async function validateThroughZone(ctx: ResourceContext, certs: Certificates, arn: string, props: Pick<CertificateProperties, 'ValidationMethod' | 'DomainValidationOptions'>): Promise<void> {
  const realism = ctx.cloud.realism;
  const poll = realism?.acmValidationPollMs ?? 0;
  if (poll <= 0 || props.ValidationMethod === 'EMAIL') return;
  const cert = certs.get(ctx.region, arn);
  const r53 = ctx.cloud.service('route53');
  const options = props.DomainValidationOptions ?? [];
  for (const record of certs.validationRecords(cert)) {
    const option = options.find((o) => o.HostedZoneId && record.Name.endsWith(`.${o.DomainName.replace(/^\*\./, '').replace(/\.$/, '')}.`));
    if (!option?.HostedZoneId || !r53) continue;
    r53.zones.change(option.HostedZoneId, [{ action: 'UPSERT', record: { name: record.Name.toLowerCase(), type: 'CNAME', ttl: 300, values: [record.Value] } }]);
  }
  for (;;) {
    const status = certs.status(cert);
    if (status === 'ISSUED') return;
    if (status !== 'PENDING_VALIDATION') {
      throw new AwsError('NotStabilized', `Resource handler returned message: "Certificate ${arn} validation status ${status}: its DNS validation CNAME never resolved from a delegated zone"`, 400);
    }
    await sleepOn(ctx.cloud.clock, poll);
  }
}

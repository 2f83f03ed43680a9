import { createHash, randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { dict, keyedState } from '../keyed.js';

export interface CertificateRecord {
  arn: string;
  region: string;
  domainName: string;
  subjectAlternativeNames: string[];
  validationMethod: 'DNS' | 'EMAIL';
  idempotencyToken?: string;
  createdAt: number;
}

interface AcmState {
  certificates: Record<string, CertificateRecord>;
}

const YEAR_MS = 395 * 24 * 3600 * 1000;
const seconds = (ms: number): number => ms / 1000;

// The CNAME ACM asks for to prove control of a name: stable per certificate and name.
function validationRecord(arn: string, domain: string) {
  const h = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
  const base = domain.replace(/^\*\./, '');
  return { Name: `_${h(`${arn}|${base}|name`)}.${base}.`, Type: 'CNAME', Value: `_${h(`${arn}|${base}|value`)}.mhbtsbpdnt.acm-validations.aws.` };
}

/** ACM certificates: requested certificates are ISSUED at once (nobody can answer the DNS challenge locally). */
export class Certificates {
  constructor(private readonly ctx: CloudContext) {}

  private get state(): AcmState {
    return keyedState<AcmState>(this.ctx.state, 'acm', () => ({ certificates: dict() }));
  }

  request(region: string, input: { DomainName?: string; SubjectAlternativeNames?: string[]; ValidationMethod?: string; IdempotencyToken?: string }): string {
    const domain = input.DomainName;
    if (!domain || !/^(\*\.)?([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+\.?$/.test(domain)) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${domain ?? ''}' at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$`);
    }
    if (input.IdempotencyToken) {
      const same = Object.values(this.state.certificates).find((c) => c.region === region && c.idempotencyToken === input.IdempotencyToken && c.domainName === domain);
      if (same) return same.arn;
    }
    const arn = `arn:aws:acm:${region}:${this.ctx.accountId}:certificate/${randomUUID()}`;
    const sans = [domain, ...(input.SubjectAlternativeNames ?? []).filter((n) => n !== domain)];
    this.state.certificates[arn] = {
      arn,
      region,
      domainName: domain.replace(/\.$/, ''),
      subjectAlternativeNames: sans.map((n) => n.replace(/\.$/, '')),
      validationMethod: input.ValidationMethod === 'EMAIL' ? 'EMAIL' : 'DNS',
      idempotencyToken: input.IdempotencyToken,
      createdAt: this.ctx.clock.now(),
    };
    this.ctx.state.changed('acm', 'certificates', arn);
    return arn;
  }

  get(region: string, arn: string): CertificateRecord {
    const cert = this.state.certificates[arn];
    if (!arn || !/^arn:aws[a-z-]*:acm:/.test(arn)) throw new AwsError('ValidationException', `The certificate ARN '${arn}' is not valid.`);
    if (!cert || cert.region !== region) throw new AwsError('ResourceNotFoundException', `Could not find certificate ${arn}.`);
    return cert;
  }

  describe(region: string, arn: string) {
    const c = this.get(region, arn);
    return {
      CertificateArn: c.arn,
      DomainName: c.domainName,
      SubjectAlternativeNames: c.subjectAlternativeNames,
      DomainValidationOptions: c.subjectAlternativeNames.map((name) => ({
        DomainName: name,
        ValidationDomain: name,
        ValidationStatus: 'SUCCESS',
        ValidationMethod: c.validationMethod,
        ResourceRecord: c.validationMethod === 'DNS' ? validationRecord(c.arn, name) : undefined,
      })),
      Serial: createHash('md5').update(c.arn).digest('hex').replace(/(..)(?!$)/g, '$1:'),
      Subject: `CN=${c.domainName}`,
      Issuer: 'Amazon',
      CreatedAt: seconds(c.createdAt),
      IssuedAt: seconds(c.createdAt),
      NotBefore: seconds(c.createdAt),
      NotAfter: seconds(c.createdAt + YEAR_MS),
      Status: 'ISSUED',
      Type: 'AMAZON_ISSUED',
      KeyAlgorithm: 'RSA-2048',
      SignatureAlgorithm: 'SHA256WITHRSA',
      InUseBy: [],
      RenewalEligibility: 'INELIGIBLE',
      Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
    };
  }

  list(region: string, statuses?: string[]) {
    if (statuses && statuses.length > 0 && !statuses.includes('ISSUED')) return { CertificateSummaryList: [] };
    return {
      CertificateSummaryList: Object.values(this.state.certificates)
        .filter((c) => c.region === region)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((c) => ({
          CertificateArn: c.arn,
          DomainName: c.domainName,
          SubjectAlternativeNameSummaries: c.subjectAlternativeNames,
          Status: 'ISSUED',
          Type: 'AMAZON_ISSUED',
          KeyAlgorithm: 'RSA-2048',
          InUse: false,
          CreatedAt: seconds(c.createdAt),
          IssuedAt: seconds(c.createdAt),
          NotBefore: seconds(c.createdAt),
          NotAfter: seconds(c.createdAt + YEAR_MS),
        })),
    };
  }

  delete(region: string, arn: string): void {
    this.get(region, arn);
    delete this.state.certificates[arn];
    this.ctx.state.changed('acm', 'certificates', arn);
  }
}

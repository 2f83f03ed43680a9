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
  /** Absent (fast profile, or state from before realism): ISSUED at creation. */
  status?: CertificateStatus;
  /** When ACM first saw every validation CNAME resolve (realism aws). */
  resolvedAt?: number;
  issuedAt?: number;
}

export type CertificateStatus = 'PENDING_VALIDATION' | 'ISSUED' | 'VALIDATION_TIMED_OUT';

/** What ACM needs to see in public DNS: the validation CNAME values by record name. */
export type PublicDns = (name: string, type: string) => string[];

interface AcmState {
  certificates: Record<string, CertificateRecord>;
}

const YEAR_MS = 395 * 24 * 3600 * 1000;
const seconds = (ms: number): number => ms / 1000;

// The CNAME ACM asks for to prove control of a name: the same for every certificate of that name
// in the account (AWS reuses it across certificates and regions, so one record validates them all).
export function validationRecord(accountId: string, domain: string) {
  const h = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
  const base = domain.replace(/^\*\./, '');
  return { Name: `_${h(`${accountId}|${base}|name`)}.${base}.`, Type: 'CNAME', Value: `_${h(`${accountId}|${base}|value`)}.mhbtsbpdnt.acm-validations.aws.` };
}

/**
 * ACM certificates. Fast profile: ISSUED at once. Realism aws: DNS-validated certificates stay
 * PENDING_VALIDATION until every validation CNAME resolves from public DNS (a delegated zone),
 * then issue at ACM's next look (every acmValidationPollMs), or time out after 72 hours
 * (VALIDATION_TIMED_OUT).
 */
export class Certificates {
  constructor(
    private readonly ctx: CloudContext,
    private readonly publicDns: PublicDns = () => [],
  ) {}

  /** The certificate's status now, moving it on when ACM would have (read-time, so it survives restarts). */
  status(c: CertificateRecord): CertificateStatus {
    if (c.status !== 'PENDING_VALIDATION') return c.status ?? 'ISSUED';
    const realism = this.ctx.realism;
    const poll = realism?.acmValidationPollMs ?? 0;
    const now = this.ctx.clock.now();
    if (poll <= 0) return this.settle(c, 'ISSUED', now);
    if (c.resolvedAt === undefined && this.validationResolves(c)) {
      c.resolvedAt = now;
      this.ctx.state.changed('acm', 'certificates', c.arn);
    }
    if (c.resolvedAt !== undefined) {
      // ACM's next look after the record first resolved.
      const look = c.createdAt + (Math.floor((c.resolvedAt - c.createdAt) / poll) + 1) * poll;
      if (now >= look) return this.settle(c, 'ISSUED', look);
    }
    if (now >= c.createdAt + (realism?.acmValidationTimeoutMs ?? 0)) return this.settle(c, 'VALIDATION_TIMED_OUT', now);
    return 'PENDING_VALIDATION';
  }

  private settle(c: CertificateRecord, status: CertificateStatus, at: number): CertificateStatus {
    c.status = status;
    if (status === 'ISSUED') c.issuedAt = at;
    this.ctx.state.changed('acm', 'certificates', c.arn);
    return status;
  }

  private validationResolves(c: CertificateRecord): boolean {
    return c.subjectAlternativeNames.every((name) => {
      const r = validationRecord(this.ctx.accountId, name);
      return this.publicDns(r.Name, 'CNAME').some((v) => v.toLowerCase() === r.Value.toLowerCase());
    });
  }

  /** The validation records a certificate asks for, one per distinct name (wildcards share their base's). */
  validationRecords(c: CertificateRecord) {
    const byName = new Map(c.subjectAlternativeNames.map((n) => [validationRecord(this.ctx.accountId, n).Name, validationRecord(this.ctx.accountId, n)]));
    return [...byName.values()];
  }

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
      ...((this.ctx.realism?.acmValidationPollMs ?? 0) > 0 && input.ValidationMethod !== 'EMAIL' ? { status: 'PENDING_VALIDATION' as const } : {}),
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
    const status = this.status(c);
    const issued = status === 'ISSUED' ? seconds(c.issuedAt ?? c.createdAt) : undefined;
    return {
      CertificateArn: c.arn,
      DomainName: c.domainName,
      SubjectAlternativeNames: c.subjectAlternativeNames,
      DomainValidationOptions: c.subjectAlternativeNames.map((name) => ({
        DomainName: name,
        ValidationDomain: name,
        ValidationStatus: status === 'ISSUED' ? 'SUCCESS' : status === 'PENDING_VALIDATION' ? status : 'FAILED',
        ValidationMethod: c.validationMethod,
        ResourceRecord: c.validationMethod === 'DNS' ? validationRecord(this.ctx.accountId, name) : undefined,
      })),
      Serial: createHash('md5').update(c.arn).digest('hex').replace(/(..)(?!$)/g, '$1:'),
      Subject: `CN=${c.domainName}`,
      Issuer: 'Amazon',
      CreatedAt: seconds(c.createdAt),
      IssuedAt: issued,
      NotBefore: issued,
      NotAfter: issued === undefined ? undefined : issued + seconds(YEAR_MS),
      Status: status,
      Type: 'AMAZON_ISSUED',
      KeyAlgorithm: 'RSA-2048',
      SignatureAlgorithm: 'SHA256WITHRSA',
      InUseBy: [],
      RenewalEligibility: 'INELIGIBLE',
      Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
    };
  }

  list(region: string, statuses?: string[]) {
    // ListCertificates without a filter lists every status (AWS's default); with one, those statuses.
    const wanted = statuses && statuses.length > 0 ? new Set(statuses) : undefined;
    return {
      CertificateSummaryList: Object.values(this.state.certificates)
        .filter((c) => c.region === region && (!wanted || wanted.has(this.status(c))))
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((c) => ({
          CertificateArn: c.arn,
          DomainName: c.domainName,
          SubjectAlternativeNameSummaries: c.subjectAlternativeNames,
          Status: this.status(c),
          Type: 'AMAZON_ISSUED',
          KeyAlgorithm: 'RSA-2048',
          InUse: false,
          CreatedAt: seconds(c.createdAt),
          ...(c.status === undefined || c.status === 'ISSUED'
            ? { IssuedAt: seconds(c.issuedAt ?? c.createdAt), NotBefore: seconds(c.issuedAt ?? c.createdAt), NotAfter: seconds((c.issuedAt ?? c.createdAt) + YEAR_MS) }
            : {}),
        })),
    };
  }

  delete(region: string, arn: string): void {
    this.get(region, arn);
    delete this.state.certificates[arn];
    this.ctx.state.changed('acm', 'certificates', arn);
  }
}

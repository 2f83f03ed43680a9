import { randomBytes } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { dict, keyedState } from '../keyed.js';

export interface OriginRecord {
  id: string;
  domainName: string;
  originPath?: string;
}

export interface DistributionRecord {
  id: string;
  domainName: string;
  etag: string;
  callerReference: string;
  comment: string;
  enabled: boolean;
  aliases: string[];
  origins: OriginRecord[];
  defaultOriginId?: string;
  viewerCertificate?: Record<string, unknown>;
  priceClass?: string;
  lastModified: number;
}

interface CloudFrontState {
  distributions: Record<string, DistributionRecord>;
}

export interface DistributionInput {
  callerReference: string;
  comment?: string;
  enabled: boolean;
  aliases: string[];
  origins: OriginRecord[];
  defaultOriginId?: string;
  viewerCertificate?: Record<string, unknown>;
  priceClass?: string;
}

const token = (alphabet: string, n: number) => [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** CloudFront's hosted zone id for alias records to any distribution. */
export const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

// CloudFront distributions (global). Deployed at once (realism aws: InProgress for minutes after
// each create or update); the global entry plays their edge.
export class Distributions {
  constructor(private readonly ctx: CloudContext) {}

  private get state(): CloudFrontState {
    return keyedState<CloudFrontState>(this.ctx.state, 'cloudfront', () => ({ distributions: dict() }));
  }

  private validate(input: DistributionInput, except?: string): void {
    if (input.origins.length === 0) throw new AwsError('InvalidArgument', 'The parameter Origins must contain at least one origin.', 400);
    if (input.defaultOriginId && !input.origins.some((o) => o.id === input.defaultOriginId)) {
      throw new AwsError('NoSuchOrigin', 'One or more of your origins or origin groups do not exist.', 404);
    }
    for (const alias of input.aliases) {
      const taken = Object.values(this.state.distributions).find((d) => d.id !== except && d.aliases.includes(alias));
      if (taken) throw new AwsError('CNAMEAlreadyExists', 'One or more of the CNAMEs you provided are already associated with a different resource.', 409);
    }
  }

  create(input: DistributionInput): DistributionRecord {
    if (Object.values(this.state.distributions).some((d) => d.callerReference === input.callerReference)) {
      throw new AwsError('DistributionAlreadyExists', 'The caller reference that you are using to create a distribution is associated with another distribution.', 409);
    }
    this.validate(input);
    const id = `E${token(UPPER, 13)}`;
    const record: DistributionRecord = {
      id,
      domainName: `d${token(LOWER, 13)}.cloudfront.net`,
      etag: `E${token(UPPER, 13)}`,
      callerReference: input.callerReference,
      ...this.configOf(input),
    };
    this.state.distributions[id] = record;
    this.ctx.state.changed('cloudfront', 'distributions', id);
    return record;
  }

  /** InProgress until the last change has deployed (realism aws: 5 minutes), then Deployed. */
  status(d: DistributionRecord): 'InProgress' | 'Deployed' {
    return this.ctx.clock.now() >= d.lastModified + (this.ctx.realism?.cloudFrontDeployMs ?? 0) ? 'Deployed' : 'InProgress';
  }

  get(id: string): DistributionRecord {
    const d = this.state.distributions[id];
    if (!d) throw new AwsError('NoSuchDistribution', 'The specified distribution does not exist.', 404);
    return d;
  }

  list(): DistributionRecord[] {
    return Object.values(this.state.distributions).sort((a, b) => a.lastModified - b.lastModified || a.id.localeCompare(b.id));
  }

  // The part of a distribution its config decides; create and update both take it from the input.
  private configOf(input: DistributionInput) {
    return {
      comment: input.comment ?? '',
      enabled: input.enabled,
      aliases: input.aliases.map((a) => a.toLowerCase()),
      origins: input.origins,
      defaultOriginId: input.defaultOriginId ?? input.origins[0].id,
      viewerCertificate: input.viewerCertificate,
      priceClass: input.priceClass,
      lastModified: this.ctx.clock.now(),
    };
  }

  private checkIfMatch(d: DistributionRecord, ifMatch: string | undefined): void {
    if (!ifMatch) throw new AwsError('InvalidIfMatchVersion', 'The If-Match version is missing or not valid for the resource.', 400);
    if (ifMatch !== d.etag) throw new AwsError('PreconditionFailed', 'The precondition given in one or more of the request-header fields evaluated to false.', 412);
  }

  update(id: string, input: DistributionInput, ifMatch: string | undefined): DistributionRecord {
    const d = this.get(id);
    this.checkIfMatch(d, ifMatch);
    this.validate(input, id);
    Object.assign(d, { ...this.configOf(input), etag: `E${token(UPPER, 13)}` });
    this.ctx.state.changed('cloudfront', 'distributions', id);
    return d;
  }

  // AWS only deletes disabled distributions; CloudFormation disables first, and so does `force`.
  delete(id: string, ifMatch: string | undefined, force = false): void {
    const d = this.get(id);
    if (!force) {
      this.checkIfMatch(d, ifMatch);
      if (d.enabled) throw new AwsError('DistributionNotDisabled', 'The distribution you are trying to delete has not been disabled.', 409);
    }
    delete this.state.distributions[id];
    this.ctx.state.changed('cloudfront', 'distributions', id);
  }

  /** The origin a request to a distribution's domain name (or one of its aliases) goes to. */
  distributionForDomain(domainName: string): { id: string; originDomainName: string; originPath?: string } | undefined {
    const name = domainName.toLowerCase().replace(/\.$/, '');
    const d = Object.values(this.state.distributions).find((x) => x.enabled && (x.domainName === name || x.aliases.includes(name)));
    if (!d) return undefined;
    const origin = d.origins.find((o) => o.id === d.defaultOriginId) ?? d.origins[0];
    return { id: d.id, originDomainName: origin.domainName, originPath: origin.originPath || undefined };
  }
}

import { REGIONS } from '../../regions.js';
import { callExecuteApiHost, parseExecuteApiHost } from '../route53/api-targets.js';
import { clientIpFor } from '../route53/client-location.js';
import type { Route53Domain } from '../route53/domain.js';
import type { CloudContext, CloudRequest, CloudResponse } from '../types.js';

/** The part of the CloudFront domain the global entry needs. */
export interface DistributionLookup {
  distributionForDomain(domainName: string): { originDomainName: string; originPath?: string } | undefined;
}

const MAX_HOPS = 4;
const CLOUDFRONT = /\.cloudfront\.net\.?$/;

const problem = (status: number, message: string): CloudResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message }),
});

/** Host header without the port, lower-case. */
export function requestHost(headers: Record<string, string>): string {
  return (headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}

/** The client's address: the first x-forwarded-for entry, else the first region's client subnet. */
export function clientIpOf(headers: Record<string, string>): string {
  const first = headers['x-forwarded-for']?.split(',')[0]?.trim();
  return first || clientIpFor(REGIONS[0].name);
}

/**
 * The global entry (the CloudFront / public DNS role): an unsigned request whose Host is a record
 * name in a hosted zone is resolved for the client's location and served by the chosen region.
 * Undefined when the host is not in any hosted zone (the front door answers as before).
 */
export async function handleGlobalEntry(ctx: CloudContext, req: CloudRequest): Promise<CloudResponse | undefined> {
  const r53 = ctx.service('route53');
  const host = requestHost(req.headers);
  if (!r53 || !host || !r53.zoneFor(host)) return undefined;
  const clientIp = clientIpOf(req.headers);
  const served = await forward(ctx, r53, host, req, clientIp, 0, req.path);
  if (served.viaCloudFront) served.response.headers = { ...served.response.headers, 'x-cache': 'Miss from cloudfront' };
  return served.response;
}

async function forward(
  ctx: CloudContext,
  r53: Route53Domain,
  host: string,
  req: CloudRequest,
  clientIp: string,
  hops: number,
  path: string,
): Promise<{ response: CloudResponse; viaCloudFront?: boolean }> {
  if (hops > MAX_HOPS) return { response: problem(508, `Too many hops resolving ${host}`) };
  let target = host;
  if (r53.zoneFor(host)) {
    const answer = r53.resolve(host, 'A', clientIp);
    if (answer.rcode === 'NXDOMAIN') return { response: problem(404, `${host} does not resolve (NXDOMAIN) for client ${clientIp}.`) };
    if (!answer.chosen) return { response: problem(502, `${host} has no A record for client ${clientIp}.`) };
    target = answer.chosen.target;
  }
  if (CLOUDFRONT.test(target)) {
    const distribution = ctx.service('cloudfront')?.distributionForDomain(target.replace(/\.$/, ''));
    if (!distribution) return { response: problem(502, `No CloudFront distribution answers for ${target}.`) };
    const inner = await forward(ctx, r53, distribution.originDomainName.toLowerCase(), req, clientIp, hops + 1, `${distribution.originPath ?? ''}${path}`);
    return { ...inner, viaCloudFront: true };
  }
  if (!parseExecuteApiHost(target)) return { response: problem(502, `${host} points at ${target}, which the local cloud cannot reach.`) };
  const result = await callExecuteApiHost(ctx, target, {
    method: req.method,
    path,
    query: req.query,
    headers: { ...req.headers, host },
    body: req.body,
    sourceIp: clientIp,
  });
  if (!result) return { response: problem(502, `${target} is not a deployed API or custom domain in the local cloud.`) };
  return { response: { status: result.response.status, headers: { ...result.response.headers, 'x-regionctl-region': result.region }, body: result.response.body } };
}

import { STATUS_CODES } from 'node:http';
import type { CloudContext } from '../types.js';
import { apiGateway, callExecuteApiHost, faultsOf, unavailable, type TargetRequest } from './api-targets.js';
import { clientIpFor } from './client-location.js';
import type { HealthCheckConfig } from './model.js';

export interface ProbeResult {
  ok: boolean;
  /** The StatusReport text GetHealthCheckStatus shows, e.g. "Success: HTTP Status Code 200, OK". */
  status: string;
}

const TIMEOUT = 'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall. See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-router-firewall-rules.html';
/** Route 53 searches only the start of the body for SearchString. */
const SEARCH_BYTES = 5120;

// One health checker's HTTP(S) request. Only local API Gateway hosts are reachable: the local
// cloud never makes real network calls, and a region outage (faults) makes them time out.
export function localProber(ctx: CloudContext) {
  return async (config: HealthCheckConfig, checkerRegion: string): Promise<ProbeResult> => {
    const host = config.FullyQualifiedDomainName ?? config.IPAddress ?? '';
    const url = new URL(config.ResourcePath ?? '/', 'http://probe');
    const req: TargetRequest = {
      method: 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: { host, 'user-agent': `Amazon-Route53-Health-Check-Service (ref local-${checkerRegion}; report http://amzn.to/1vsZADi)` },
      body: Buffer.alloc(0),
    };
    const result = (await callExecuteApiHost(ctx, host, req)) ?? (await viaDns(ctx, host, req, checkerRegion));
    if (!result) return { ok: false, status: TIMEOUT };
    const { status, body } = result.response;
    const code = `HTTP Status Code ${status}, ${STATUS_CODES[status] ?? 'Unknown'}`;
    if (status < 200 || status >= 400) return { ok: false, status: `Failure: ${code}` };
    if (config.Type.endsWith('STR_MATCH')) {
      const head = body.subarray(0, SEARCH_BYTES).toString('utf8');
      if (!head.includes(config.SearchString ?? '')) {
        return { ok: false, status: `Failure: ${code}. Failed to find search string '${config.SearchString}' in response body.` };
      }
    }
    return { ok: true, status: `Success: ${code}` };
  };
}

// A name in a local hosted zone is resolved from the checker's own location, then called; a custom
// domain name that exists in exactly one region is served by it directly.
async function viaDns(ctx: CloudContext, host: string, req: TargetRequest, checkerRegion: string) {
  const r53 = ctx.service('route53');
  if (r53?.zoneFor(host)) {
    const target = r53.resolve(host, 'A', clientIpFor(checkerRegion)).chosen?.target;
    return target ? callExecuteApiHost(ctx, target, req) : undefined;
  }
  const gw = apiGateway(ctx);
  const region = gw?.regionOfDomainTarget?.(host);
  if (!gw?.executeForDomain || !region) return undefined;
  if (faultsOf(ctx)?.isRegionDown(region)) return { region, response: unavailable() };
  const response = await gw.executeForDomain(host, req);
  return response ? { region, response } : undefined;
}

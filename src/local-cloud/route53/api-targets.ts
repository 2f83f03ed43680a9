import type { ProxyRequest } from '../apigateway/proxy.js';
import type { CloudContext } from '../types.js';

// How Route 53 (health checkers, alias answers) and the global entry reach API Gateway without a
// network: host names of the execute-api and custom-domain kinds map onto the local API Gateway.

/** The same request shape API Gateway's proxy integration takes. */
export type TargetRequest = ProxyRequest;
export interface TargetResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The part of the API Gateway domain used here (custom domains are optional). */
export interface ApiGatewayTargets {
  regionOf?(apiId: string): string | undefined;
  execute(apiId: string, stage: string, req: TargetRequest): Promise<TargetResponse>;
  /** Region of a custom domain's regional name (d-xxxxxxxxxx.execute-api.R.amazonaws.com). */
  regionOfDomainTarget?(regionalDomainName: string): string | undefined;
  executeForDomain?(domainName: string, req: TargetRequest, region?: string): Promise<TargetResponse | undefined>;
}

export interface FaultView {
  isRegionDown(region: string): boolean;
}

const EXECUTE_API = /^([a-z0-9-]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com\.?$/;

/** {apiId|d-xxx}.execute-api.{region}.amazonaws.com → its parts. */
export function parseExecuteApiHost(host: string): { id: string; region: string; customDomain: boolean } | undefined {
  const m = EXECUTE_API.exec(host.toLowerCase());
  return m ? { id: m[1], region: m[2], customDomain: m[1].startsWith('d-') } : undefined;
}

export const apiGateway = (ctx: CloudContext): ApiGatewayTargets | undefined => ctx.service('apigateway');
export const faultsOf = (ctx: CloudContext): FaultView | undefined => ctx.faults;

/** The region an execute-api style host stands for, or undefined for other hosts. */
export function regionOfHost(ctx: CloudContext, host: string): string | undefined {
  const parsed = parseExecuteApiHost(host);
  if (!parsed) return undefined;
  if (parsed.customDomain) return apiGateway(ctx)?.regionOfDomainTarget?.(host.replace(/\.$/, '')) ?? parsed.region;
  return parsed.region;
}

/**
 * Serve a request addressed to an execute-api style host, as the regional endpoint would.
 * Undefined when the host is not one the local API Gateway knows.
 */
export async function callExecuteApiHost(ctx: CloudContext, host: string, req: TargetRequest): Promise<{ region: string; response: TargetResponse } | undefined> {
  const parsed = parseExecuteApiHost(host);
  const gw = apiGateway(ctx);
  if (!parsed || !gw) return undefined;
  const name = host.toLowerCase().replace(/\.$/, '');
  if (parsed.customDomain) {
    const region = gw.regionOfDomainTarget?.(name);
    if (!region) return undefined;
    if (faultsOf(ctx)?.isRegionDown(region)) return { region, response: unavailable() };
    const response = await gw.executeForDomain?.(name, req, region);
    return response ? { region, response } : undefined;
  }
  const region = gw.regionOf?.(parsed.id) ?? parsed.region;
  if (faultsOf(ctx)?.isRegionDown(region)) return { region, response: unavailable() };
  const [, stage = '', ...rest] = req.path.split('/');
  const response = await gw.execute(parsed.id, stage, { ...req, path: `/${rest.join('/')}` });
  return { region, response };
}

export function unavailable(): TargetResponse {
  return { status: 503, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ message: 'Service Unavailable' })) };
}

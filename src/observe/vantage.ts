import type { LambdaClient } from '@aws-sdk/client-lambda';
import { invokeJson } from '../aws/lambda.js';
import { errorReason } from '../aws/error-reason.js';

// A region's vantage point: its canary, invoked with an `observe` event (src/lambdas/canary/observe.ts),
// resolves names through the region's own resolver and calls them from there, so it answers "where
// are clients in R served from" as R's clients are, on AWS and in the local cloud alike. Route 53's
// TestDNSAnswer (routing-view.ts) is the second signal.

/** What R's clients get for one name. */
export interface NameObservation {
  name: string;
  /** The address R's resolver answered. */
  address: string | null;
  /** The region that address belongs to, when regionctl knows the region's addresses. */
  resolvedTo: string | null;
  /** The region that answered GET /hello through that address. */
  servedBy: string | null;
  status: number | null;
  latencyMs: number | null;
  error?: string;
}

/** One vantage point's answer. Field names are a contract (`status --json`): add, never rename. */
export interface VantageView {
  /** Where the clients are: the probe function's region. */
  region: string;
  functionName: string;
  /** The stage's latency-routed name `<stage>-<service>.<zone>`. */
  latency: NameObservation | null;
  /** The global name `<service>.<zone>` (CloudFront), when the stage has one. */
  global: NameObservation | null;
  /** Why the vantage point gave no answer (it could not be invoked, or its code predates observe). */
  error?: string;
}

interface Wire {
  region?: unknown;
  observations?: Array<{ name?: unknown; address?: unknown; status?: unknown; servedBy?: unknown; latencyMs?: unknown; error?: unknown }>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Invoke R's vantage point for the latency name (and the global name) and read its answer.
 * `addresses` names regions by address (dns-answer.ts); an address it does not know stays unnamed.
 */
export async function observeFrom(opts: {
  lambda: LambdaClient;
  region: string;
  functionName: string;
  latencyName: string;
  globalName?: string;
  addresses: Map<string, string>;
}): Promise<VantageView> {
  const names = [opts.latencyName, ...(opts.globalName && opts.globalName !== opts.latencyName ? [opts.globalName] : [])];
  const view: VantageView = { region: opts.region, functionName: opts.functionName, latency: null, global: null };
  let answer: Wire;
  try {
    answer = ((await invokeJson(opts.lambda, opts.functionName, { observe: { names } })) ?? {}) as Wire;
  } catch (error) {
    return { ...view, error: `${opts.functionName} cannot be invoked: ${errorReason(error)}` };
  }
  if (!Array.isArray(answer.observations)) {
    return { ...view, error: `${opts.functionName} answered without observations (deployed before vantage points): run \`regionctl deploy\`` };
  }
  const read = (name: string): NameObservation | null => {
    const o = answer.observations!.find((x) => str(x.name) === name.toLowerCase());
    if (!o) return null;
    const address = str(o.address);
    return {
      name,
      address,
      resolvedTo: address ? (opts.addresses.get(address) ?? null) : null,
      servedBy: str(o.servedBy),
      status: num(o.status),
      latencyMs: num(o.latencyMs),
      ...(str(o.error) ? { error: str(o.error)! } : {}),
    };
  };
  const latency = read(opts.latencyName);
  return { ...view, latency, global: opts.globalName ? (opts.globalName === opts.latencyName ? latency : read(opts.globalName)) : null };
}

/**
 * The region R's clients are answered with for the latency name: the region that served the call
 * through the address R's resolver gave (a regional API endpoint serves only its own region), else
 * the region that address is known to belong to.
 */
export function dnsRegionOf(view: VantageView | undefined): string | undefined {
  const o = view?.latency;
  return o?.servedBy ?? o?.resolvedTo ?? undefined;
}

/** The region that served R's clients through the global entry (CloudFront, else the latency name). */
export function entryRegionOf(view: VantageView | undefined): string | undefined {
  const o = view?.global ?? view?.latency;
  return o?.servedBy ?? undefined;
}

/** Why a vantage point named no region for a name, for a status note (undefined when it did). */
export function vantageProblem(view: VantageView): string | undefined {
  if (view.error) return view.error;
  for (const o of [view.latency, view.global]) {
    if (o && !o.servedBy) return `from ${view.region}, ${o.name} ${o.error ? `failed: ${o.error}` : `answered ${o.status ?? '-'} without naming a region`}`;
  }
  return undefined;
}

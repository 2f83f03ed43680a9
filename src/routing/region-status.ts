import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ResolvedConfig } from '../config/schema.js';
import { executeApiUrl } from '../aws/endpoints.js';
import { describeStack, stackOutputs } from '../deploy/stack.js';
import { fanOut } from '../fan-out.js';
import type { Io } from '../io/types.js';

export interface StatusClients {
  readonly endpoint?: string;
  cloudFormation(region: string): CloudFormationClient;
}

/** One region at a glance. Field names are a contract (`status --json`): add, never rename. */
export interface RegionStatus {
  region: string;
  stackStatus: string;
  healthy: boolean;
  checkUrl: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  /** The region the check answered from (its body), when it answered. */
  answeredBy: string | null;
  error?: string;
}

export interface StatusReport {
  service: string;
  stage: string;
  regions: RegionStatus[];
  healthyRegions: number;
}

export function healthStackName(config: Pick<ResolvedConfig, 'service' | 'stage'>): string {
  return `${config.service}-${config.stage}-health`;
}

/** Probe one check endpoint: status, latency, and which region answered. */
export async function probeCheck(url: string, timeoutMs = 5000): Promise<{ httpStatus: number | null; latencyMs: number | null; answeredBy: string | null; error?: string }> {
  const started = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { 'cache-control': 'no-cache' } });
    const text = await res.text();
    const latencyMs = Math.round(performance.now() - started);
    let answeredBy: string | null = null;
    try {
      answeredBy = (JSON.parse(text) as { region?: string }).region ?? null;
    } catch {
      answeredBy = null;
    }
    return { httpStatus: res.status, latencyMs, answeredBy };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return { httpStatus: null, latencyMs: null, answeredBy: null, error: e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message) };
  }
}

export async function regionStatus(opts: { config: ResolvedConfig; clients: StatusClients; io: Io; timeoutMs?: number }): Promise<StatusReport> {
  const { config, clients } = opts;
  const results = await fanOut(config.regions, config.regions.length, async (region): Promise<RegionStatus> => {
    const stack = await describeStack(clients.cloudFormation(region), healthStackName(config));
    if (!stack) {
      return { region, stackStatus: 'NOT_DEPLOYED', healthy: false, checkUrl: null, httpStatus: null, latencyMs: null, answeredBy: null };
    }
    const outputs = stackOutputs(stack);
    const checkUrl = outputs.RestApiId
      ? executeApiUrl({ endpoint: clients.endpoint, apiId: outputs.RestApiId, region, stage: outputs.StageName ?? config.stage, path: '/check' })
      : (outputs.CheckUrl ?? null);
    const stackStatus = stack.StackStatus ?? 'UNKNOWN';
    if (!checkUrl) return { region, stackStatus, healthy: false, checkUrl, httpStatus: null, latencyMs: null, answeredBy: null, error: 'the health stack has no check endpoint output' };
    const probe = await probeCheck(checkUrl, opts.timeoutMs);
    const stable = stackStatus === 'CREATE_COMPLETE' || stackStatus === 'UPDATE_COMPLETE';
    return { region, stackStatus, checkUrl, ...probe, healthy: stable && probe.httpStatus === 200 };
  });
  const regions = results.map((r) =>
    r.ok ? r.value : { region: r.region, stackStatus: 'UNKNOWN', healthy: false, checkUrl: null, httpStatus: null, latencyMs: null, answeredBy: null, error: r.error.message },
  );
  return { service: config.service, stage: config.stage, regions, healthyRegions: regions.filter((r) => r.healthy).length };
}

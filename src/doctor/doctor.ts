import type { AwsProvider } from '../aws/provider.js';
import type { ResolvedConfig } from '../config/schema.js';
import { fanOut } from '../fan-out.js';
import type { Io } from '../io/types.js';
import { checkCredentials } from './checks/credentials.js';
import { checkDelegation } from './checks/delegation.js';
import { checkHostedZone } from './checks/hosted-zone.js';
import { checkRegionEnabled } from './checks/region-enabled.js';
import { planStage, type StagePlan } from '../stage/plan.js';
import { GLOBAL, type CheckContext, type DoctorClients, type DoctorReport, type Finding } from './types.js';

export interface DoctorOptions {
  config: ResolvedConfig;
  /** The stage's plan (default: planStage(config)): the stacks, names and counts the checks compare with. */
  plan?: StagePlan;
  clients: DoctorClients;
  io?: Io;
  /** Regions checked at once (default: all). */
  concurrency?: number;
  /** Only credentials, region enabled and hosted zone: what deploy runs before it touches anything. */
  cheapOnly?: boolean;
}

type RegionCheck = (ctx: CheckContext, region: string) => Promise<Finding>;

const CHEAP_REGIONAL: RegionCheck[] = [checkRegionEnabled];

// The certificate and quota checks (and the ACM, API Gateway, Lambda and Service Quotas SDK
// packages they use) are loaded only for the full doctor, not for deploy's cheap preflight.
async function fullChecks() {
  const [{ checkEdgeCertificate, checkRegionalCertificate }, { checkHealthCheckQuota, checkLambdaQuota, checkRestApiQuota, checkStackQuota }] = await Promise.all([
    import('./checks/certificates.js'),
    import('./checks/quotas.js'),
  ]);
  const regional: RegionCheck[] = [checkRegionEnabled, checkRegionalCertificate, checkStackQuota, checkLambdaQuota, checkRestApiQuota];
  return { regional, checkEdgeCertificate, checkHealthCheckQuota };
}

/**
 * Checks, per configured region in parallel, what a real deploy needs. Never throws for a failed check:
 * every problem is a finding, and a check that cannot run is a warning.
 */
export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const { config, clients, io } = opts;
  const base: CheckContext = { config, plan: opts.plan ?? planStage(config), clients, ...(io ? { io } : {}) };
  // Asked once (it never rejects): the certificate checks and the global finding share it.
  const ctx: CheckContext = opts.cheapOnly ? base : { ...base, delegation: checkDelegation(base) };
  const full = opts.cheapOnly ? undefined : await fullChecks();
  const regional = full?.regional ?? CHEAP_REGIONAL;

  const perRegion = await fanOut(config.regions, opts.concurrency ?? config.regions.length, async (region) => {
    const id = `doctor:${region}`;
    io?.emit({ kind: 'step', id, state: 'start', label: `checking ${region}`, region });
    const credentials = await checkCredentials(ctx, region);
    // Without working credentials every other call fails the same way; one finding says it all.
    const rest = credentials.status === 'fail' ? [] : await Promise.all(regional.map((check) => check(ctx, region)));
    const findings = [credentials, ...rest];
    const failed = findings.some((f) => f.status === 'fail');
    io?.emit({ kind: 'step', id, state: failed ? 'failed' : 'done', label: `${region}: ${failed ? 'problems found' : 'ready'}`, region });
    return findings;
  });

  const regionFindings = perRegion.flatMap((r) =>
    r.ok ? r.value : [{ region: r.region, check: 'credentials' as const, status: 'fail' as const, message: `doctor crashed: ${r.error.message}` }],
  );
  const anyCredentials = regionFindings.some((f) => f.check === 'credentials' && f.status === 'pass');
  const global: Finding[] = [];
  if (anyCredentials) {
    const globalChecks = !full
      ? [checkHostedZone(ctx)]
      : [checkHostedZone(ctx), ctx.delegation!.then((d) => d.finding), full.checkHealthCheckQuota(ctx), full.checkEdgeCertificate(ctx)];
    for (const f of await Promise.all(globalChecks)) if (f) global.push(f);
  }
  const findings = [...global.filter((f) => f.region === GLOBAL), ...regionFindings, ...global.filter((f) => f.region !== GLOBAL)];
  return { ok: findings.every((f) => f.status !== 'fail'), findings };
}

/** The cheap checks deploy runs before touching anything: credentials, region enabled, hosted zone. */
export async function preflight(opts: { config: ResolvedConfig; plan?: StagePlan; aws: AwsProvider; io?: Io }): Promise<Finding[]> {
  return (await runDoctor({ config: opts.config, ...(opts.plan ? { plan: opts.plan } : {}), clients: opts.aws, ...(opts.io ? { io: opts.io } : {}), cheapOnly: true })).findings;
}

import { regionStatus } from '../../src/observe/region-status.js';
import { deployCommand } from '../../src/commands/deploy.js';
import { startHarness, type Harness } from '../integration/harness.js';

/**
 * Wait (on the virtual clock, bounded) until every region is healthy: right after a deploy the
 * first probes meet cold Lambda workers, which on a loaded machine can take longer than a probe
 * waits. A drill's guard would rightly refuse then; tests start from a steady state instead.
 */
export async function steadyState(h: Harness, regions?: string[]): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 15; attempt++) {
    const ctx = h.context(regions ? { regions } : {});
    const report = await regionStatus({ config: await ctx.loadConfig(), clients: await ctx.aws(), io: ctx.io, dnsPort: h.cloud.dnsPort });
    if (report.regions.every((r) => r.healthy)) return;
    last = report.regions.map((r) => `${r.region}: ${r.reasons?.join("; ") ?? r.error ?? (r.healthy ? "healthy" : "unhealthy")}`).join(" | ");
    await h.clock.advance(10_000);
  }
  throw new Error(`the stage never reached a steady state: ${last}`);
}

/** The two-region stage the drill, lock and health tests share: deployed, settled, every region healthy. */
export async function deployedStage(): Promise<Harness> {
  const h = await startHarness('service: shop\nstage: test\nregions: [us-east-1, us-west-2]\ndns:\n  zone: shop.example\n  createZone: true\n');
  await deployCommand(h.context());
  await h.clock.advance(120_000);
  await steadyState(h);
  return h;
}

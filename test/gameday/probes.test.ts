import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ResolvedConfig } from '../../src/config/load.js';
import { evaluateProbe, type Observer } from '../../src/gameday/observe.js';
import { probeSchema } from '../../src/gameday/schema.js';
import { createMemoryIo } from '../../src/io/index.js';
import type { StatusReport } from '../../src/observe/region-status.js';

// The probes the integration game days do not reach: replication-lag (from CloudWatch
// ReplicationLatency, per pair, over the window) and the health-check and alarm probes (read from
// the same status view as `regionctl status`). CloudWatch is a recording fake here.

const dir = mkdtempSync(join(tmpdir(), 'gd-probes-'));
let config: ResolvedConfig;
beforeAll(async () => {
  writeFileSync(join(dir, 'regionctl.yml'), 'service: shop\nstage: t\nregions: [us-east-1, us-west-2]\ndns:\n  zone: shop.example\ntable: {}\n');
  config = await loadConfig({ cwd: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.parse('2026-12-01T12:00:00Z');
const io = createMemoryIo();

/** An observer whose CloudWatch answers `maxMs` per sending → receiving pair (undefined: no datapoints). */
function observer(lagMs: Record<string, number | undefined>, c: ResolvedConfig = config) {
  const asked: Array<{ region: string; receiving: string | undefined; start: number; end: number }> = [];
  const o: Observer = {
    config: c,
    io,
    now: () => NOW,
    clients: {
      cloudWatch: (region: string) =>
        ({
          send: async (cmd: GetMetricStatisticsCommand) => {
            const receiving = cmd.input.Dimensions?.find((d) => d.Name === 'ReceivingRegion')?.Value;
            asked.push({ region, receiving, start: cmd.input.StartTime!.getTime(), end: cmd.input.EndTime!.getTime() });
            const ms = lagMs[`${region}>${receiving}`];
            return { Datapoints: ms === undefined ? [] : [{ Maximum: ms }] };
          },
        }) as never,
    } as never,
  };
  return { o, asked };
}

const probe = (p: unknown) => probeSchema.parse(p);

function status(regions: Array<{ region: string; healthCheck: 'Healthy' | 'Unhealthy' | null; alarmState: string | null }>): StatusReport {
  return { service: 'shop', stage: 't', healthyRegions: 0, notes: [], regions: regions.map((r) => ({ ...r, healthy: false, reasons: [] })) as never };
}

describe('replication-lag probe', () => {
  it('holds when every pair’s lag in the window is below the limit, and reads every pair over the window', async () => {
    const { o, asked } = observer({ 'us-east-1>us-west-2': 900, 'us-west-2>us-east-1': 1200 });
    const r = await evaluateProbe(o, probe({ probe: 'replication-lag', below: '2s', window: '10m' }));
    expect(r.met).toBe(true);
    expect(r.detail).toBe('worst pair us-west-2 → us-east-1: 1200 ms (below 2000 ms expected)');
    expect(asked.map((a) => [a.region, a.receiving]).sort()).toEqual([
      ['us-east-1', 'us-west-2'],
      ['us-west-2', 'us-east-1'],
    ]);
    expect(asked.every((a) => a.start === NOW - 600_000 && a.end >= NOW)).toBe(true);
  });

  it('fails naming the worst pair when one pair lags too much', async () => {
    const { o } = observer({ 'us-east-1>us-west-2': 900, 'us-west-2>us-east-1': 4500 });
    const r = await evaluateProbe(o, probe({ probe: 'replication-lag', below: '2s' }));
    expect(r.met).toBe(false);
    expect(r.detail).toBe('worst pair us-west-2 → us-east-1: 4500 ms (below 2000 ms expected)');
    expect(r.output).toEqual([
      { from: 'us-east-1', to: 'us-west-2', ms: 900 },
      { from: 'us-west-2', to: 'us-east-1', ms: 4500 },
    ]);
  });

  it('fails on a stage without a global table', async () => {
    const { o } = observer({}, { ...config, table: undefined } as ResolvedConfig);
    const r = await evaluateProbe(o, probe({ probe: 'replication-lag', below: '2s' }));
    expect(r).toMatchObject({ met: false, detail: 'the stage has no global table (regionctl.yml table:)' });
  });
});

describe('health-check and alarm probes', () => {
  const s = status([
    { region: 'us-east-1', healthCheck: 'Healthy', alarmState: 'OK' },
    { region: 'us-west-2', healthCheck: 'Unhealthy', alarmState: 'ALARM' },
  ]);
  it('compare the region’s Route 53 health check with the expectation', async () => {
    const { o } = observer({});
    expect((await evaluateProbe(o, probe({ probe: 'health-check', region: 'us-east-1', expect: 'Healthy' }), s)).met).toBe(true);
    const bad = await evaluateProbe(o, probe({ probe: 'health-check', region: 'us-west-2', expect: 'Healthy' }), s);
    expect(bad).toMatchObject({ met: false, detail: "us-west-2's health check is Unhealthy (expected Healthy)" });
  });
  it('compare the region’s alarm state with the expectation', async () => {
    const { o } = observer({});
    expect((await evaluateProbe(o, probe({ probe: 'alarm', region: 'us-west-2', expect: 'ALARM' }), s)).met).toBe(true);
    const bad = await evaluateProbe(o, probe({ probe: 'alarm', region: 'us-east-1', expect: 'ALARM' }), s);
    expect(bad).toMatchObject({ met: false, detail: "us-east-1's alarm is OK (expected ALARM)" });
  });
});

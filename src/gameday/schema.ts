import { z } from 'zod';

// The game-day file (YAML): what a scripted game day checks, does and promises. Modelled on Chaos
// Toolkit experiments (steady-state hypothesis, method, rollbacks) and AWS FIS (stop conditions),
// with regionctl's drills and local-cloud faults as the actions. One schema serves validation
// (load.ts, with line numbers) and the published JSON Schema (schemas/gameday.schema.json).

/** 500ms, 90s, 5m, 1h. */
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$';
const duration = z.string().regex(new RegExp(DURATION_PATTERN), 'must be a duration such as 500ms, 90s, 5m or 1h').describe('a duration: 500ms, 90s, 5m, 1h');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-[0-9]+$/, 'must be a region name such as us-east-1').describe('an AWS region name');

/** Duration text → milliseconds (the text has passed the schema). */
export function durationMs(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

// ---- probes: steady state and assert ----

const probeBase = { name: z.string().optional().describe('shown in the journal and reports') };

const allHealthyProbe = z.strictObject({ ...probeBase, probe: z.literal('all-regions-healthy').describe('every region serves: stacks settled, check and hello answer 200, latency record present') });
const regionHealthyProbe = z.strictObject({
  ...probeBase,
  probe: z.literal('region-healthy'),
  region,
  expect: z.boolean().default(true).describe('true: the region is healthy; false: it is not'),
});
const dnsProbe = z.strictObject({
  ...probeBase,
  probe: z.literal('dns').describe('which region answers clients in a place (the region’s vantage point / client subnet)'),
  client: region.describe('where the client is: the region whose clients are asked about'),
  expect: z.union([region, z.literal('any-other')]).describe('the region that should serve them, or any-other (not the client’s own region)'),
});
const lagProbe = z.strictObject({
  ...probeBase,
  probe: z.literal('replication-lag').describe('the global table’s replication lag, per region pair, from CloudWatch ReplicationLatency over the last window'),
  below: duration.describe('every pair’s latest lag must be under this'),
  window: duration.default('5m').describe('how far back to look'),
});
const healthCheckProbe = z.strictObject({
  ...probeBase,
  probe: z.literal('health-check'),
  region,
  expect: z.enum(['Healthy', 'Unhealthy']),
});
const alarmProbe = z.strictObject({
  ...probeBase,
  probe: z.literal('alarm'),
  region,
  expect: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
});

export const probeSchema = z.discriminatedUnion('probe', [allHealthyProbe, regionHealthyProbe, dnsProbe, lagProbe, healthCheckProbe, alarmProbe]);
export type Probe = z.output<typeof probeSchema>;
export const PROBE_KINDS = ['all-regions-healthy', 'region-healthy', 'dns', 'replication-lag', 'health-check', 'alarm'] as const;

// ---- steps ----

const stepBase = {
  name: z.string().optional().describe('shown in progress, the journal and reports'),
  deadline: duration.optional().describe('the step fails (and the game day aborts) when it takes longer, on the target’s clock'),
};
/** `deploy:` / `deploy: {}` / `deploy: true` all mean "do it". */
const presence = z.union([z.null(), z.literal(true), z.strictObject({})]);

export const STEP_KINDS = ['deploy', 'status', 'wait', 'drill', 'fault', 'assert'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const deployStep = z.strictObject({ ...stepBase, deploy: presence.describe('deploy the stage to every region (idempotent)') });
const statusStep = z.strictObject({ ...stepBase, status: presence.describe('read every region’s status into the journal') });
const waitStep = z.strictObject({ ...stepBase, wait: duration.describe('let this much time pass on the target’s clock') });
const drillStep = z
  .strictObject({
    ...stepBase,
    drill: z.enum(['failover', 'replication', 'simulate-unhealthy', 'restore']),
    region: region.optional().describe('failover / simulate-unhealthy: the region to break; restore: only this region (default all)'),
    objective: duration.optional().describe('failover: the drill’s own objective (default: objectives.failoverWithin, else 5m)'),
    samples: z.number().int().min(1).max(100_000).optional().describe('replication: canary items per region (default 20)'),
    duringPause: z.strictObject({ from: region, to: region }).optional().describe('replication: pause replication from → to while writing'),
    hold: duration.optional().describe('replication with duringPause: how long the pause is held after the writes (default 10s)'),
  })
  .superRefine((s, ctx) => {
    if ((s.drill === 'failover' || s.drill === 'simulate-unhealthy') && !s.region) ctx.addIssue({ code: 'custom', path: ['region'], message: `is required for drill: ${s.drill}` });
    if (s.drill !== 'replication' && (s.samples !== undefined || s.duringPause || s.hold)) ctx.addIssue({ code: 'custom', path: ['drill'], message: 'samples, duringPause and hold belong to drill: replication' });
    if (s.duringPause && s.duringPause.from === s.duringPause.to) ctx.addIssue({ code: 'custom', path: ['duringPause', 'to'], message: 'must differ from duringPause.from' });
  });
const faultStep = z
  .strictObject({
    ...stepBase,
    fault: z.enum(['region-outage', 'replication-pause', 'latency']).describe('a local-cloud fault (journaled; lifted by the rollbacks and `drill restore`)'),
    region: region.optional().describe('region-outage / latency: the region'),
    from: region.optional().describe('replication-pause: the sending region'),
    to: region.optional().describe('replication-pause: the receiving region'),
    ms: z.number().int().min(1).max(60_000).optional().describe('latency: milliseconds added to every request'),
    duration: duration.optional().describe('the fault ends by itself after this long (cloud clock); without it, it stays until a rollback or the end'),
  })
  .superRefine((s, ctx) => {
    if (s.fault === 'replication-pause') {
      if (!s.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required for fault: replication-pause' });
      if (!s.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required for fault: replication-pause' });
      if (s.from && s.to && s.from === s.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must differ from from' });
      if (s.region) ctx.addIssue({ code: 'custom', path: ['region'], message: 'replication-pause takes from and to, not region' });
    } else {
      if (!s.region) ctx.addIssue({ code: 'custom', path: ['region'], message: `is required for fault: ${s.fault}` });
      if (s.from || s.to) ctx.addIssue({ code: 'custom', path: [s.from ? 'from' : 'to'], message: `${s.fault} takes region, not from/to` });
    }
    if (s.fault === 'latency' && s.ms === undefined) ctx.addIssue({ code: 'custom', path: ['ms'], message: 'is required for fault: latency' });
    if (s.fault !== 'latency' && s.ms !== undefined) ctx.addIssue({ code: 'custom', path: ['ms'], message: 'belongs to fault: latency' });
  });
const assertStep = z.strictObject({ ...stepBase, assert: probeSchema.describe('a probe and its expectation; the game day fails when it does not hold') });

const STEP_SCHEMAS = { deploy: deployStep, status: statusStep, wait: waitStep, drill: drillStep, fault: faultStep, assert: assertStep } as const;
export const stepSchema = z.union([deployStep, statusStep, waitStep, drillStep, faultStep, assertStep]);
export type Step = z.output<typeof stepSchema>;

/** The schema of one step, by the action key it carries (the union's errors name no branch). */
export function stepSchemaFor(kind: StepKind): z.ZodType {
  return STEP_SCHEMAS[kind];
}

export function stepKind(step: Step): StepKind {
  for (const k of STEP_KINDS) if (k in step) return k;
  throw new Error('bug: a validated step without an action');
}

// ---- the file ----

export const gamedaySchema = z
  .strictObject({
    $schema: z.string().optional().describe('editors: the JSON Schema of this file'),
    name: z.string().min(1).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'must start with a letter or digit and use letters, digits, spaces, . _ -').describe('the game day’s name'),
    description: z.string().optional(),
    regions: z.array(region).min(1).optional().describe('run on these regions instead of regionctl.yml’s'),
    objectives: z
      .strictObject({
        failoverWithin: duration.optional().describe('every failover drill moves clients within this (RTO)'),
        failbackWithin: duration.optional().describe('every failover drill’s clients come back within this'),
        replicationLagP99Below: duration.optional().describe('every replication drill’s p99 lag per pair stays under this (a pair the drill paused on purpose is judged by maxMissingItems and its catch-up instead)'),
        maxMissingItems: z.number().int().min(0).optional().describe('replication drills: at most this many acknowledged writes missing at their deadline (RPO)'),
      })
      .default({}),
    steadyState: z.array(probeSchema).default([{ probe: 'all-regions-healthy' }]).describe('probes that must hold before the steps and again after the rollbacks'),
    stopConditions: z
      .strictObject({
        minHealthyRegions: z.number().int().min(0).optional().describe('abort when fewer regions are healthy (faults the game day injected on purpose are counted as unhealthy)'),
        alarm: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('abort when this CloudWatch alarm (in any of the regions) is in ALARM'),
        deadline: duration.optional().describe('abort when the whole run takes longer (target’s clock)'),
        every: duration.default('30s').describe('how often stop conditions are checked (target’s clock)'),
      })
      .default({ every: '30s' }),
    steps: z.array(stepSchema).min(1, 'must list at least one step'),
    rollbacks: z
      .strictObject({
        strategy: z.enum(['always', 'deviated', 'never']).default('always').describe('always: run after every run; deviated: only when the run failed, deviated or aborted; never'),
        steps: z.array(stepSchema).default([]),
      })
      .default({ strategy: 'always', steps: [] })
      .describe('run after the steps; every journaled fault is restored after them in any case'),
    sampleEvery: duration.default('30s').describe('how often the timeline samples health, DNS, alarms and lag (target’s clock)'),
  })
  .superRefine((g, ctx) => {
    if (g.regions && new Set(g.regions).size !== g.regions.length) ctx.addIssue({ code: 'custom', path: ['regions'], message: 'lists a region twice' });
  });

export type GamedayFile = z.output<typeof gamedaySchema>;

/** The JSON Schema editors use (schemas/gameday.schema.json is this, committed). */
export function gamedayJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(gamedaySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://regionctl.dev/schemas/gameday.schema.json', title: 'regionctl game day' };
}

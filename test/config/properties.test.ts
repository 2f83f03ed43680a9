import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands/context.js';
import type { ResolvedConfig } from '../../src/config/schema.js';
import { REGIONS } from '../../src/regions.js';
import { crashOf, runCli, type CliResult } from '../cli/fixtures/in-process.js';
import { propertySeed } from '../support/property-runs.js';

// Issue 7: property-based tests for regionctl.yml, driven through the CLI in-process. Whatever the
// file holds, regionctl answers with exit 0 or with exit 2 and "error: regionctl.yml:LINE: KEY: ..."
// lines; never a stack trace or "internal error". Valid files load to exactly what they say.

const cwd = mkdtempSync(join(tmpdir(), 'regionctl-config-props-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

let loaded: ResolvedConfig | undefined;
// The command every config-reading command starts with: load the config (and keep it to compare).
const loadOnly = async () => async (ctx: CommandContext) => {
  loaded = await ctx.loadConfig();
};

async function withFile(text: string, args: string[] = ['iam-policy']): Promise<CliResult> {
  writeFileSync(join(cwd, 'regionctl.yml'), text);
  loaded = undefined;
  return runCli(args, { cwd, loadCommand: loadOnly });
}

const ERROR_LINE = /^error: regionctl\.yml:(\d+): (.*)$/;

// Every stderr line is "error: regionctl.yml:N: ..." with N inside the file, or a hint.
function expectConfigErrors(r: CliResult, text: string): Array<{ line: number; rest: string }> {
  expect(crashOf(r), r.stderr).toBeUndefined();
  expect(r.code, r.stderr).toBe(2);
  const lastLine = text.split('\n').length;
  const errors: Array<{ line: number; rest: string }> = [];
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) {
    if (l.startsWith('hint: ')) continue;
    const m = ERROR_LINE.exec(l);
    expect(m, `not a located config error: ${JSON.stringify(l)}`).not.toBeNull();
    const line = Number(m![1]);
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(lastLine);
    errors.push({ line, rest: m![2] });
  }
  expect(errors.length).toBeGreaterThan(0);
  return errors;
}

// --- YAML text made of the pieces that break parsers: indentation, flow collections, anchors and
// aliases, tags, quotes, directives, document markers, numbers YAML reads as infinity or NaN.
const yamlPiece = fc.constantFrom(
  'service', 'regions', 'stage', 'healthCheck', 'alarm', 'period', 'evaluationPeriods', 'threshold', 'dns', 'zone', 'cdn',
  '__proto__', 'constructor', 'us-east-1', 'eu-west-1', 'orders', ':', ': ', ' ', '  ', '\n', '\n  ', '\n    ', '- ', '\t',
  '[', ']', '{', '}', ',', '&a ', '*a', '&b ', '*b', '!!binary ', '!!str ', '!!int ', '!!map ', '!!set ', '!foo ', '"', "'",
  '#', '? ', '|', '>', '---', '...', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '<<: ', '1e400', '-.inf', '.nan', '0x1F', '60',
  '1000000', '-1', '1.5', '~', 'null', 'true', 'yes', '\\u0000', '\u2028', '😀',
);
const yamlText = fc.oneof(
  { weight: 4, arbitrary: fc.array(yamlPiece, { maxLength: 60 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  // A valid prefix followed by noise, so errors also land past line 1.
  { weight: 2, arbitrary: fc.array(yamlPiece, { maxLength: 30 }).map((parts) => `service: orders\nregions:\n  - us-east-1\n${parts.join('')}`) },
);

// --- Configs near the schema: a model, rendered line by line so each key's line is known.
type Raw = { raw: string };
type Value = string | number | boolean | Raw;
interface Model {
  service: Value;
  stage?: Value;
  regions: Value[] | Raw;
  regionsFlow: boolean;
  primaryRegion?: Value;
  minHealthyRegions?: Value;
  dns?: { zone?: Value; createZone?: Value };
  healthCheck?: {
    type?: Value;
    alarm?: { statistic?: Value; period?: Value; evaluationPeriods?: Value; threshold?: Value; dimension?: Value };
    interval?: Value;
    failureThreshold?: Value;
  };
  cdn?: Value;
  extra?: { at: '' | 'dns' | 'healthCheck' | 'healthCheck.alarm'; key: string };
}

function scalar(v: Value): string {
  if (typeof v === 'object') return v.raw;
  if (typeof v === 'string') return /^[a-z]+-[a-z]+-\d$/.test(v) ? v : JSON.stringify(v);
  return String(v);
}

function render(m: Model): { text: string; lineOf: Map<string, number> } {
  const out: string[] = [];
  const lineOf = new Map<string, number>();
  const put = (key: string, text: string): void => {
    out.push(text);
    lineOf.set(key, out.length);
  };
  const extra = (at: NonNullable<Model['extra']>['at'], indent: string): void => {
    if (m.extra?.at === at) put(at === '' ? m.extra.key : `${at}.${m.extra.key}`, `${indent}${m.extra.key}: 1`);
  };
  put('service', `service: ${scalar(m.service)}`);
  if (m.stage !== undefined) put('stage', `stage: ${scalar(m.stage)}`);
  if (!Array.isArray(m.regions)) put('regions', `regions: ${m.regions.raw}`);
  else if (m.regionsFlow) {
    put('regions', `regions: [${m.regions.map(scalar).join(', ')}]`);
    m.regions.forEach((_, i) => lineOf.set(`regions[${i}]`, out.length));
  } else {
    put('regions', 'regions:');
    m.regions.forEach((r, i) => put(`regions[${i}]`, `  - ${scalar(r)}`));
  }
  if (m.primaryRegion !== undefined) put('primaryRegion', `primaryRegion: ${scalar(m.primaryRegion)}`);
  if (m.minHealthyRegions !== undefined) put('minHealthyRegions', `minHealthyRegions: ${scalar(m.minHealthyRegions)}`);
  if (m.dns) {
    put('dns', 'dns:');
    if (m.dns.zone !== undefined) put('dns.zone', `  zone: ${scalar(m.dns.zone)}`);
    if (m.dns.createZone !== undefined) put('dns.createZone', `  createZone: ${scalar(m.dns.createZone)}`);
    extra('dns', '  ');
  }
  const hc = m.healthCheck;
  if (hc) {
    put('healthCheck', 'healthCheck:');
    if (hc.type !== undefined) put('healthCheck.type', `  type: ${scalar(hc.type)}`);
    if (hc.alarm) {
      put('healthCheck.alarm', '  alarm:');
      for (const k of ['statistic', 'period', 'evaluationPeriods', 'threshold', 'dimension'] as const) {
        const v = hc.alarm[k];
        if (v !== undefined) put(`healthCheck.alarm.${k}`, `    ${k}: ${scalar(v)}`);
      }
      extra('healthCheck.alarm', '    ');
    }
    if (hc.interval !== undefined) put('healthCheck.interval', `  interval: ${scalar(hc.interval)}`);
    if (hc.failureThreshold !== undefined) put('healthCheck.failureThreshold', `  failureThreshold: ${scalar(hc.failureThreshold)}`);
    extra('healthCheck', '  ');
  }
  if (m.cdn !== undefined) put('cdn', `cdn: ${scalar(m.cdn)}`);
  extra('', '');
  return { text: `${out.join('\n')}\n`, lineOf };
}

const REGION_NAMES = REGIONS.map((r) => r.name);
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const zone = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/))
  .map(([labels, tld]) => [...labels, tld].join('.'));
const PERIOD_MAX_WINDOW = (p: number): number => (p < 3600 ? 86_400 : 604_800);

const validModel: fc.Arbitrary<Model> = fc
  .record({
    service: fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/),
    stage: opt(fc.stringMatching(/^[a-z0-9-]{1,16}$/)),
    regions: fc.uniqueArray(fc.constantFrom(...REGION_NAMES), { minLength: 1, maxLength: 6 }),
    regionsFlow: fc.boolean(),
    zone: opt(zone),
    createZone: opt(fc.boolean()),
    type: opt(fc.constantFrom('cloudwatch', 'https', 'both')),
    statistic: opt(fc.constantFrom('Sum', 'Maximum', 'Minimum', 'Average', 'SampleCount')),
    period: opt(fc.integer({ min: 1, max: 10_080 }).map((n) => n * 60)),
    evaluationFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    threshold: opt(fc.oneof(fc.nat({ max: 1000 }), fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }))),
    dimension: opt(fc.constant(true)),
    interval: opt(fc.constantFrom(10, 30)),
    failureThreshold: opt(fc.integer({ min: 1, max: 10 })),
    cdn: opt(fc.boolean()),
    primaryIndex: opt(fc.nat()),
    minFraction: opt(fc.double({ min: 0, max: 1, noNaN: true })),
    withEvaluationPeriods: fc.boolean(),
  })
  .map((g): Model => {
    const period = g.period ?? 60;
    const maxEval = Math.floor(PERIOD_MAX_WINDOW(period) / period);
    const evaluationPeriods = g.withEvaluationPeriods ? 1 + Math.floor(g.evaluationFraction * (maxEval - 1)) : undefined;
    const alarm = { statistic: g.statistic, period: g.period, evaluationPeriods, threshold: g.threshold, dimension: g.dimension };
    const hasAlarm = Object.values(alarm).some((v) => v !== undefined);
    const healthCheck = { type: g.type, alarm: hasAlarm ? alarm : undefined, interval: g.interval, failureThreshold: g.failureThreshold };
    return {
      service: g.service,
      stage: g.stage,
      regions: g.regions,
      regionsFlow: g.regionsFlow,
      primaryRegion: g.primaryIndex === undefined ? undefined : g.regions[g.primaryIndex % g.regions.length],
      minHealthyRegions: g.minFraction === undefined ? undefined : 1 + Math.floor(g.minFraction * (g.regions.length - 1)),
      dns: g.zone !== undefined || g.createZone !== undefined ? { zone: g.zone, createZone: g.createZone } : undefined,
      healthCheck: Object.values(healthCheck).some((v) => v !== undefined) ? healthCheck : undefined,
      cdn: g.cdn,
    };
  });

// --- One fault at a time: a key, and a value that key must refuse.
const notMatching = (re: RegExp) => fc.string({ maxLength: 50 }).filter((s) => !re.test(s));
const wrongType = fc.constantFrom<Raw>({ raw: '[1, 2]' }, { raw: '{a: 1}' }, { raw: '~' }, { raw: '!!binary aGVsbG8=' });
const badNumber = fc.constantFrom<Raw>({ raw: '.inf' }, { raw: '-.inf' }, { raw: '1e400' }, { raw: '.nan' }, { raw: '"60"' }, { raw: 'sixty' });
const badInt = (ok: (n: number) => boolean) =>
  fc.oneof(
    fc.integer({ min: -1_000_000, max: 10_000_000 }).filter((n) => !ok(n)),
    fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    fc.constantFrom(2 ** 53 + 2, 1e21),
    badNumber,
    wrongType,
  );
const badBool = fc.oneof(fc.constantFrom<Value>({ raw: 'yes' }, { raw: 'on' }, { raw: '"true"' }, 1, 0), wrongType);
const badEnum = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), wrongType);
const KNOWN = new Set(['service', 'stage', 'regions', 'primaryRegion', 'minHealthyRegions', 'dns', 'healthCheck', 'cdn', 'zone', 'createZone', 'certificateArn', 'type', 'alarm', 'interval', 'failureThreshold', 'statistic', 'period', 'evaluationPeriods', 'threshold', 'dimension']);

interface Fault {
  key: string;
  // Applied to a copy of the generated model (fast-check reuses the original while shrinking).
  apply(m: Model): void;
}

const hc = (m: Model): NonNullable<Model['healthCheck']> => (m.healthCheck ??= {});
const alarm = (m: Model): NonNullable<NonNullable<Model['healthCheck']>['alarm']> => (hc(m).alarm ??= {});

function faults(m: Model): fc.Arbitrary<Fault> {
  const regions = m.regions as string[];
  const at = <T extends Value>(key: string, values: fc.Arbitrary<T>, set: (m: Model, v: T) => void): fc.Arbitrary<Fault> =>
    values.map((v) => ({ key, apply: (copy: Model) => set(copy, v) }));
  const period = Number((m.healthCheck?.alarm?.period as number | undefined) ?? 60);
  return fc.oneof(
    at('service', fc.oneof(notMatching(/^[a-z][a-z0-9-]{0,39}$/), fc.integer(), wrongType), (c, v) => (c.service = v)),
    at('stage', fc.oneof(notMatching(/^[a-z0-9-]{1,16}$/), wrongType), (c, v) => (c.stage = v)),
    fc.nat({ max: regions.length - 1 }).chain((i) => {
      const unknown = fc.string({ maxLength: 30 }).filter((s) => !REGION_NAMES.includes(s));
      // A duplicate is reported at the later occurrence, so copy an earlier region into slot i.
      const values: fc.Arbitrary<Value> = i > 0 ? fc.oneof(unknown, fc.integer(), fc.constantFrom(...regions.slice(0, i))) : fc.oneof(unknown, fc.integer());
      return at(`regions[${i}]`, values, (c, v) => ((c.regions as Value[])[i] = v));
    }),
    at('regions', fc.constantFrom<Raw>({ raw: '[]' }, { raw: 'us-east-1' }, { raw: '{a: 1}' }), (c, v) => (c.regions = v)),
    at('primaryRegion', fc.oneof(fc.constantFrom(...REGION_NAMES.filter((r) => !regions.includes(r))), fc.integer(), wrongType), (c, v) => (c.primaryRegion = v)),
    at('minHealthyRegions', badInt((n) => n >= 1 && n <= regions.length), (c, v) => (c.minHealthyRegions = v)),
    at('dns.zone', fc.oneof(notMatching(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/), fc.integer(), wrongType), (c, v) => ((c.dns ??= {}).zone = v)),
    at('dns.createZone', badBool, (c, v) => ((c.dns ??= {}).createZone = v)),
    at('healthCheck.type', badEnum.filter((v) => !['cloudwatch', 'https', 'both'].includes(v as string)), (c, v) => (hc(c).type = v)),
    at('healthCheck.alarm.statistic', badEnum.filter((v) => !['Sum', 'Maximum', 'Minimum', 'Average', 'SampleCount'].includes(v as string)), (c, v) => (alarm(c).statistic = v)),
    at('healthCheck.alarm.period', badInt((n) => n >= 60 && n % 60 === 0 && n <= 604_800), (c, v) => (alarm(c).period = v)),
    at('healthCheck.alarm.evaluationPeriods', badInt((n) => n >= 1 && n * period <= PERIOD_MAX_WINDOW(period)), (c, v) => (alarm(c).evaluationPeriods = v)),
    at('healthCheck.alarm.threshold', fc.oneof(fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), badNumber, wrongType), (c, v) => (alarm(c).threshold = v)),
    at('healthCheck.alarm.dimension', fc.oneof(badBool, fc.constant<Value>(false)), (c, v) => (alarm(c).dimension = v)),
    at('healthCheck.interval', badInt((n) => n === 10 || n === 30), (c, v) => (hc(c).interval = v)),
    at('healthCheck.failureThreshold', badInt((n) => n >= 1 && n <= 10), (c, v) => (hc(c).failureThreshold = v)),
    at('cdn', badBool, (c, v) => (c.cdn = v)),
    fc
      .tuple(fc.constantFrom<NonNullable<Model['extra']>['at']>('', 'dns', 'healthCheck', 'healthCheck.alarm'), fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/).filter((k) => !KNOWN.has(k)))
      .map(([where, key]) => ({
        key: where === '' ? key : `${where}.${key}`,
        apply: (c: Model) => {
          if (where === 'dns') c.dns ??= {};
          if (where === 'healthCheck') hc(c);
          if (where === 'healthCheck.alarm') alarm(c);
          c.extra = { at: where, key };
        },
      })),
  );
}

const NUM_RUNS = Number(process.env.REGIONCTL_PROPERTY_RUNS ?? 150);

describe('regionctl.yml properties', () => {
  it('any YAML text: exit 0, or exit 2 with every error at a line of the file; never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, fc.boolean(), async (text, json) => {
        const r = await withFile(text, json ? ['--json', 'iam-policy'] : ['iam-policy']);
        expect(crashOf(r), r.stderr).toBeUndefined();
        if (r.code === 0) {
          expect(loaded).toBeDefined();
          return;
        }
        expectConfigErrors(r, text);
        if (json) {
          const doc = JSON.parse(r.stdout) as { error: { code: string; message: string } };
          expect(['ConfigSyntax', 'InvalidConfig']).toContain(doc.error.code);
        }
      }),
      { numRuns: NUM_RUNS, ...propertySeed() },
    );
  });

  it('a valid config loads to exactly what it says, defaults filled in', async () => {
    await fc.assert(
      fc.asyncProperty(validModel, async (m) => {
        const { text } = render(m);
        const r = await withFile(text);
        expect(r.stderr, text).toBe('');
        expect(r.code).toBe(0);
        const regions = m.regions as string[];
        const alarm = m.healthCheck?.alarm;
        expect(loaded).toMatchObject({
          service: m.service,
          stage: m.stage ?? 'dev',
          regions,
          primaryRegion: m.primaryRegion ?? regions[0],
          minHealthyRegions: m.minHealthyRegions ?? 1,
          dns: { zone: m.dns?.zone ?? 'regionctl.local', createZone: m.dns?.createZone ?? false },
          healthCheck: {
            type: m.healthCheck?.type ?? 'cloudwatch',
            alarm: {
              statistic: alarm?.statistic ?? 'Sum',
              period: alarm?.period ?? 60,
              evaluationPeriods: alarm?.evaluationPeriods ?? 1,
              threshold: alarm?.threshold ?? 0,
              dimension: alarm?.dimension ?? true,
            },
            interval: m.healthCheck?.interval ?? 30,
            failureThreshold: m.healthCheck?.failureThreshold ?? 3,
          },
          cdn: m.cdn ?? false,
        });
      }),
      { numRuns: NUM_RUNS, ...propertySeed() },
    );
  });

  it('one bad value anywhere: exit 2 and an error naming that key at its line', async () => {
    const faulty = validModel.chain((m) => faults(m).map((f) => ({ m, f })));
    await fc.assert(
      fc.asyncProperty(faulty, async ({ m, f }) => {
        const model = structuredClone(m);
        f.apply(model);
        const { text, lineOf } = render(model);
        const r = await withFile(text);
        const errors = expectConfigErrors(r, text);
        const line = lineOf.get(f.key);
        expect(line, `no line for ${f.key}`).toBeDefined();
        const mine = errors.find((e) => e.line === line && e.rest.startsWith(`${f.key}: `));
        expect(mine, `expected an error for ${f.key} at line ${line} in\n${text}\ngot\n${r.stderr}`).toBeDefined();
      }),
      { numRuns: NUM_RUNS * 2, ...propertySeed() },
    );
  });
});

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkAgainstConfig, loadGameday, parseGameday } from '../../src/gameday/load.js';
import { durationMs, gamedayJsonSchema } from '../../src/gameday/schema.js';
import { planLines } from '../../src/gameday/plan.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const examples = join(root, 'examples', 'gamedays');

/** The message of what `fn` throws (it must throw). */
function failure(fn: () => unknown): { message: string; code: string; exitCode: number } {
  try {
    fn();
  } catch (err) {
    return err as { message: string; code: string; exitCode: number };
  }
  throw new Error('expected an error');
}

const minimal = 'name: t\nsteps:\n  - wait: 30s\n';

describe('game-day file', () => {
  it('fills defaults: steady state all-regions-healthy, rollbacks always, checks every 30s', () => {
    const { gameday, stepLines } = parseGameday(minimal, 'g.yml');
    expect(gameday.steadyState).toEqual([{ probe: 'all-regions-healthy' }]);
    expect(gameday.rollbacks).toEqual({ strategy: 'always', steps: [] });
    expect(gameday.stopConditions.every).toBe('30s');
    expect(gameday.objectives).toEqual({});
    expect(stepLines).toEqual([3]);
  });

  it('reports every problem of the file at once, each with its line, in line order', () => {
    const text = [
      'name: quick', // 1
      'steps:', // 2
      '  - deploy: {}', // 3
      '  - drill: failover', // 4
      '  - fault: latency', // 5
      '    region: us-east-1', // 6
      '  - wiat: 5m', // 7
      '  - wait: soon', // 8
      '  - assert:', // 9
      '      probe: dns', // 10
      '      client: us-east-1', // 11
      'stopConditions:', // 12
      '  minHealthyRegion: 1', // 13
      'rollbacks:', // 14
      '  strategy: sometimes', // 15
    ].join('\n');
    const err = failure(() => parseGameday(text, 'g.yml'));
    expect(err.code).toBe('InvalidGameday');
    expect(err.exitCode).toBe(2);
    expect(err.message.split('\n')).toEqual([
      'g.yml:4: steps[1].region: is required for drill: failover',
      'g.yml:5: steps[2].ms: is required for fault: latency',
      'g.yml:7: steps[3]: a step needs one action: deploy, status, wait, drill, fault, assert',
      'g.yml:8: steps[4].wait: must be a duration such as 500ms, 90s, 5m or 1h',
      'g.yml:10: steps[5].assert.expect: is required',
      'g.yml:13: stopConditions.minHealthyRegion: unknown key (did you mean "minHealthyRegions"?)',
      'g.yml:15: rollbacks.strategy: must be one of "always", "deviated", "never"',
    ]);
  });

  it('refuses a step with two actions, a pause from a region to itself, and YAML syntax errors with their line', () => {
    expect(failure(() => parseGameday('name: t\nsteps:\n  - wait: 1m\n    deploy: {}\n', 'g.yml')).message).toBe('g.yml:3: steps[0]: a step takes one action, not deploy and wait');
    expect(failure(() => parseGameday('name: t\nsteps:\n  - fault: replication-pause\n    from: us-east-1\n    to: us-east-1\n', 'g.yml')).message).toBe('g.yml:5: steps[0].to: must differ from from');
    const syntax = failure(() => parseGameday('name: t\nsteps:\n  - wait: [1m\n', 'g.yml'));
    expect(syntax.code).toBe('ConfigSyntax');
    expect(syntax.message).toMatch(/^g\.yml:[34]: invalid YAML/);
  });

  it('checks the regions the steps name against the game day’s regions, with the step’s line', () => {
    const loaded = { file: 'g.yml', display: 'g.yml', ...parseGameday('name: t\nsteps:\n  - wait: 1m\n  - drill: failover\n    region: ap-south-1\n', 'g.yml') };
    expect(failure(() => checkAgainstConfig(loaded, { regions: ['us-east-1', 'us-west-2'] })).message).toBe(
      "g.yml:4: steps[1].region: ap-south-1 is not one of the game day's regions (us-east-1, us-west-2)",
    );
    expect(() => checkAgainstConfig(loaded, { regions: ['us-east-1', 'ap-south-1'] })).not.toThrow();
  });

  it('reads durations in ms, s, m and h', () => {
    expect([durationMs('500ms'), durationMs('90s'), durationMs('1.5m'), durationMs('2h')]).toEqual([500, 90_000, 90_000, 7_200_000]);
  });

  it('prints a plan with every step and its line', () => {
    const loaded = { file: 'g.yml', display: 'g.yml', ...parseGameday('name: t\nsteps:\n  - wait: 1m\n  - name: out\n    fault: region-outage\n    region: us-west-2\n    duration: 5m\n', 'g.yml') };
    const lines = planLines(loaded, { service: 's', stage: 'dev', regions: ['us-east-1', 'us-west-2'] });
    expect(lines).toContain('  1. g.yml:3 wait 1m');
    expect(lines).toContain('  2. g.yml:4 out: fault region-outage us-west-2 for 5m');
  });
});

describe('examples/gamedays', () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.yml'));
  it('has the quick, full and AWS examples', () => {
    expect(files.sort()).toEqual(['aws-template.yml', 'full.yml', 'quick-failover.yml']);
  });
  it.each(files)('%s validates against the demo stage’s regions', async (file) => {
    const loaded = await loadGameday(examples, file);
    expect(() => checkAgainstConfig(loaded, { regions: loaded.gameday.regions ?? ['us-east-1', 'us-west-2', 'eu-west-1'] })).not.toThrow();
  });
  it('full.yml fails each of three regions over in turn, pauses replication and takes a region out', async () => {
    const { gameday } = await loadGameday(examples, 'full.yml');
    expect(gameday.regions).toHaveLength(3);
    const drills = gameday.steps.filter((s) => 'drill' in s && s.drill === 'failover').map((s) => (s as { region: string }).region);
    expect(drills.sort()).toEqual([...gameday.regions!].sort());
    expect(gameday.steps.some((s) => 'drill' in s && s.drill === 'replication' && s.duringPause)).toBe(true);
    expect(gameday.steps.some((s) => 'fault' in s && s.fault === 'region-outage')).toBe(true);
  });
});

describe('schemas/gameday.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (UPDATE_SCHEMAS=1 rewrites it)', () => {
    const file = join(root, 'schemas', 'gameday.schema.json');
    const generated = `${JSON.stringify(gamedayJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(file, generated);
    expect(readFileSync(file, 'utf8')).toBe(generated);
  });
  it('describes every step action and refuses unknown keys', () => {
    const schema = gamedayJsonSchema() as { properties: Record<string, { items?: { anyOf?: Array<{ required?: string[] }> } }>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    const actions = schema.properties.steps!.items!.anyOf!.map((v) => v.required?.find((k) => k !== 'name'));
    expect(actions.sort()).toEqual(['assert', 'deploy', 'drill', 'fault', 'status', 'wait']);
  });
});

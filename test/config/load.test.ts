import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

async function dirWith(yml?: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'regionctl-config-'));
  if (yml !== undefined) await writeFile(path.join(dir, 'regionctl.yml'), yml);
  return dir;
}

async function failure(yml: string, extra: { stage?: string; regions?: string[] } = {}): Promise<ConfigError> {
  const cwd = await dirWith(yml);
  const err = await loadConfig({ cwd, ...extra }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('loadConfig', () => {
  it('returns the demo defaults when there is no file and no --config', async () => {
    const cwd = await dirWith();
    const c = await loadConfig({ cwd });
    expect(c).toMatchObject({
      service: 'regionctl-demo',
      stage: 'dev',
      regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
      primaryRegion: 'us-east-1',
      minHealthyRegions: 1,
      dns: { zone: 'regionctl.local' },
      healthCheck: { type: 'cloudwatch', alarm: { statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 0, dimension: true }, interval: 30, failureThreshold: 3 },
      cdn: false,
      file: null,
      dir: cwd,
    });
  });

  it('fills defaults around a minimal file and applies --stage/--regions', async () => {
    const cwd = await dirWith('service: orders\nregions: [us-east-1, eu-west-1]\nprimaryRegion: eu-west-1\n');
    const c = await loadConfig({ cwd });
    expect(c).toMatchObject({ service: 'orders', stage: 'dev', primaryRegion: 'eu-west-1', file: path.join(cwd, 'regionctl.yml') });
    const o = await loadConfig({ cwd, stage: 'prod', regions: ['us-east-1'] });
    expect(o).toMatchObject({ stage: 'prod', regions: ['us-east-1'], primaryRegion: 'us-east-1' });
  });

  it('fails with ConfigNotFound when --config names a missing file', async () => {
    const cwd = await dirWith();
    const err = await loadConfig({ cwd, file: 'nope.yml' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('ConfigNotFound');
    expect((err as ConfigError).message).toBe('nope.yml: no such file');
    expect((err as ConfigError).exitCode).toBe(2);
  });

  it('names file, line and key for an unknown region and suggests the closest', async () => {
    const err = await failure('service: orders\nregions:\n  - us-east-1\n  - us-east-9\n');
    expect(err.message).toBe('regionctl.yml:4: regions[1]: unknown AWS region "us-east-9"');
    expect(err.hint).toBe('did you mean "us-east-1"?');
  });

  it('flags duplicate regions at the second occurrence', async () => {
    const err = await failure('service: orders\nregions: [us-east-1, eu-west-1, us-east-1]\n');
    expect(err.message).toBe('regionctl.yml:2: regions[2]: "us-east-1" is listed twice (also regions[0])');
  });

  it('points an unknown key at its own line with a did-you-mean', async () => {
    const err = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  type: https\n  intervall: 10\n');
    expect(err.message).toBe('regionctl.yml:5: healthCheck.intervall: unknown key');
    expect(err.hint).toBe('did you mean "interval"?');
  });

  it('reports a missing service and says how to fix it', async () => {
    const err = await failure('# nothing but\nregions: [us-east-1]\n');
    expect(err.message).toBe('regionctl.yml:2: service: is required');
    expect(err.hint).toMatch(/service: orders/);
  });

  it('rejects invalid stage characters', async () => {
    const err = await failure('service: orders\nstage: Prod_1\nregions: [us-east-1]\n');
    expect(err.message).toMatch(/^regionctl\.yml:2: stage: may only contain a-z, 0-9 and "-"/);
  });

  it('accepts a permissions boundary policy ARN and rejects anything else', async () => {
    const arn = 'arn:aws:iam::123456789012:policy/regionctl/orders/dev/permissions-boundary';
    const cwd = await dirWith(`service: orders\nregions: [us-east-1]\npermissionsBoundary: ${arn}\n`);
    expect((await loadConfig({ cwd })).permissionsBoundary).toBe(arn);
    const err = await failure('service: orders\nregions: [us-east-1]\npermissionsBoundary: arn:aws:iam::123456789012:role/admin\n');
    expect(err.message).toMatch(/^regionctl\.yml:3: permissionsBoundary: must be an IAM managed policy ARN/);
  });

  it('rejects a primaryRegion that is not among regions', async () => {
    const err = await failure('service: orders\nregions: [us-east-1, us-west-2]\nprimaryRegion: eu-west-1\n');
    expect(err.message).toBe('regionctl.yml:3: primaryRegion: "eu-west-1" is not one of regions (us-east-1, us-west-2)');
  });

  it('reports wrong value types and enum values in nested keys', async () => {
    const err = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    statistic: Median\n    period: "60"\n');
    expect(err.message.split('\n')).toEqual([
      'regionctl.yml:5: healthCheck.alarm.statistic: must be one of "Sum", "Maximum", "Minimum", "Average", "SampleCount"',
      'regionctl.yml:6: healthCheck.alarm.period: must be a number (got a string)',
    ]);
  });

  it('attributes bad --regions and --stage values to the flag', async () => {
    const err = await failure('service: orders\nregions: [us-east-1]\n', { regions: ['eu-wset-1'], stage: 'A B' });
    expect(err.message).toContain('--regions: regions[0]: unknown AWS region "eu-wset-1"');
    expect(err.message).toContain('--stage: stage: may only contain');
  });

  it('reports YAML syntax errors with their line', async () => {
    const err = await failure('service: orders\nregions: [us-east-1\nstage: dev\n');
    expect(err.code).toBe('ConfigSyntax');
    expect(err.message).toMatch(/^regionctl\.yml:\d+: invalid YAML: /);
  });

  it('rejects minHealthyRegions above the number of regions', async () => {
    const err = await failure('service: orders\nregions: [us-east-1]\nminHealthyRegions: 2\n');
    expect(err.message).toBe('regionctl.yml:3: minHealthyRegions: is 2 but only 1 region(s) are configured');
  });
});

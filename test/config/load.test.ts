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

  // Issue 9: values that only ever worked on the local cloud are refused with the reason.
  it('refuses healthCheck.alarm.dimension: false: API Gateway publishes 5XXError only per ApiName', async () => {
    const err = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    dimension: false\n');
    expect(err.message).toBe(
      'regionctl.yml:5: healthCheck.alarm.dimension: cannot be false: API Gateway publishes 5XXError only per ApiName, never region-wide, so an alarm without the dimension never fires on AWS',
    );
    expect(err.hint).toMatch(/remove healthCheck\.alarm\.dimension/);
    const cwd = await dirWith('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    dimension: true\n');
    await expect(loadConfig({ cwd })).resolves.toMatchObject({ healthCheck: { alarm: { dimension: true } } });
  });

  it('refuses alarm periods below a minute: API Gateway metrics are one-minute and Route 53 takes only standard-resolution alarms', async () => {
    for (const period of [10, 20, 30, 59]) {
      const err = await failure(`service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    period: ${period}\n`);
      expect(err.message).toBe(
        'regionctl.yml:5: healthCheck.alarm.period: must be a multiple of 60: API Gateway publishes 5XXError once a minute and Route 53 health checks follow only standard-resolution alarms',
      );
      expect(err.hint).toBe('use period: 60 (one minute, the shortest that fires on AWS)');
    }
    const cwd = await dirWith('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    period: 60\n');
    await expect(loadConfig({ cwd })).resolves.toMatchObject({ healthCheck: { alarm: { period: 60 } } });
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

  // Issue 7, defect 11: bad input must get a clear config error with the right line, never a crash.
  describe('hostile and absurd input', () => {
    it('reports a YAML syntax error at the line where it is, not at line 1', async () => {
      const err = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    period: 60\n   threshold: 3\n');
      expect(err.code).toBe('ConfigSyntax');
      expect(err.message).toBe('regionctl.yml:6: invalid YAML: All mapping items must start at the same column');
      const quote = await failure("service: orders\nregions: [us-east-1]\nstage: 'dev\n");
      expect(quote.message).toMatch(/^regionctl\.yml:4: invalid YAML: Missing closing 'quote/);
      const tab = await failure('service: orders\nregions:\n\t- us-east-1\n');
      expect(tab.message).toMatch(/^regionctl\.yml:3: invalid YAML: /);
    });

    it('refuses a YAML alias bomb with a config error naming the line and key', async () => {
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i <= 9; i++) bomb.push(`a${i}: &a${i} [${Array(9).fill(i === 1 ? '*a' : `*a${i - 1}`).join(', ')}]`);
      const err = await failure(`service: orders\nregions: [us-east-1]\n${bomb.join('\n')}\n`);
      expect(err.code).toBe('ConfigSyntax');
      expect(err.exitCode).toBe(2);
      expect(err.message).toMatch(/^regionctl\.yml:\d+: a\d\[0\]: invalid YAML: aliases expand to more than 100 nodes$/);
    });

    it('reports an alias to an undefined anchor at its line', async () => {
      const err = await failure('service: orders\nregions: *mine\n');
      expect(err.message).toBe('regionctl.yml:2: regions: invalid YAML: Unresolved alias (the anchor must be set before the alias): mine');
      expect(err.hint).toMatch(/anchor/);
    });

    it('says "must be a finite number" for 1e400 and .inf', async () => {
      const err = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    threshold: 1e400\n');
      expect(err.message).toBe('regionctl.yml:5: healthCheck.alarm.threshold: must be a finite number (got infinity)');
      const nan = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    threshold: .nan\n');
      expect(nan.message).toBe('regionctl.yml:5: healthCheck.alarm.threshold: must be a number (got NaN)');
    });

    it('applies CloudWatch limits: period × evaluationPeriods at most one day below an hour, seven days above', async () => {
      const day = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    evaluationPeriods: 1000000\n');
      expect(day.message).toBe(
        'regionctl.yml:5: healthCheck.alarm.evaluationPeriods: is 1000000: period 60 s × 1000000 = 60000000 s, but CloudWatch allows at most 86400 s (one day for periods under an hour)',
      );
      expect(day.hint).toBe('use at most 1440 evaluation periods of 60 s');
      const week = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    period: 3600\n    evaluationPeriods: 169\n');
      expect(week.message).toMatch(/^regionctl\.yml:6: healthCheck\.alarm\.evaluationPeriods: is 169: .* at most 604800 s \(seven days\)$/);
      const period = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    period: 99999960\n');
      expect(period.message).toBe('regionctl.yml:5: healthCheck.alarm.period: must be at most 604800 (seven days, the longest CloudWatch alarm window)');
      // The limits themselves are accepted.
      const cwd = await dirWith('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    period: 3600\n    evaluationPeriods: 168\n');
      await expect(loadConfig({ cwd })).resolves.toMatchObject({ healthCheck: { alarm: { period: 3600, evaluationPeriods: 168 } } });
      const oneDay = await dirWith('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    period: 60\n    evaluationPeriods: 1440\n');
      await expect(loadConfig({ cwd: oneDay })).resolves.toMatchObject({ healthCheck: { alarm: { evaluationPeriods: 1440 } } });
    });

    it('names the bound and the value for whole numbers out of range', async () => {
      const err = await failure('service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    evaluationPeriods: 1.5\n    threshold: -1\n  failureThreshold: 11\n');
      expect(err.message.split('\n')).toEqual([
        'regionctl.yml:5: healthCheck.alarm.evaluationPeriods: must be a whole number (got 1.5)',
        'regionctl.yml:6: healthCheck.alarm.threshold: must be at least 0 (got -1)',
        'regionctl.yml:7: healthCheck.failureThreshold: must be at most 10 (got 11)',
      ]);
    });

    it('refuses a zone whose derived certificate name ACM would reject', async () => {
      const zone = `${'a'.repeat(60)}.com`;
      const err = await failure(`service: orders\nregions: [us-east-1]\ndns:\n  zone: ${zone}\n`);
      expect(err.message).toMatch(/^regionctl\.yml:4: dns\.zone: is 64 characters: the certificate regionctl requests for "\*\.a+\.com" may be at most 64 characters \(ACM\)$/);
      expect(err.hint).toBe('use a zone of at most 62 characters, or set dns.certificateArn for us-east-1');
      const cwd = await dirWith(`service: orders\nregions: [us-east-1]\ndns:\n  zone: ${zone}\n  certificateArn:\n    us-east-1: arn:aws:acm:us-east-1:123456789012:certificate/abc\n`);
      await expect(loadConfig({ cwd })).resolves.toMatchObject({ dns: { zone } });
    });

    it('refuses a directory, a device or a huge file as --config instead of reading it', async () => {
      const cwd = await dirWith();
      for (const file of ['.', '/dev/zero']) {
        const err = (await loadConfig({ cwd, file }).catch((e: unknown) => e)) as ConfigError;
        expect(err).toBeInstanceOf(ConfigError);
        expect(err.message).toMatch(/: not a regular file$/);
        expect(err.exitCode).toBe(2);
      }
      await writeFile(path.join(cwd, 'big.yml'), `service: orders\n#${'x'.repeat(1 << 20)}\n`);
      const big = (await loadConfig({ cwd, file: 'big.yml' }).catch((e: unknown) => e)) as ConfigError;
      expect(big.message).toMatch(/big\.yml: \d+ bytes is too large for a config file/);
    });

    it('says what the top level is when it is not a mapping', async () => {
      expect((await failure('\n\n- us-east-1\n')).message).toBe('regionctl.yml:3: the file must be a mapping of keys (service:, regions:, ...)');
      expect((await failure('!!binary aGVsbG8=\n')).message).toBe('regionctl.yml:1: the file must be a mapping of keys (service:, regions:, ...)');
      expect((await failure('service: !!binary aGVsbG8=\nregions: [us-east-1]\n')).message).toBe('regionctl.yml:1: service: must be a string (got binary data)');
    });
  });
});

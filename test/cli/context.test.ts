import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type GlobalOptions } from '../../src/commands/context.js';
import { createMemoryIo } from '../../src/io/index.js';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { createStsService } from '../../src/local-cloud/sts/index.js';

const base: GlobalOptions = { json: false, color: false, verbose: false };

describe('createContext', () => {
  it('loads config once, with --stage and --regions applied', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'regionctl-ctx-'));
    await writeFile(path.join(cwd, 'regionctl.yml'), 'service: orders\nregions: [us-east-1, us-west-2]\n');
    const ctx = createContext({ cwd, env: {}, global: { ...base, stage: 'qa', regions: ['us-west-2'] }, io: createMemoryIo() });
    const first = await ctx.loadConfig();
    expect(first).toMatchObject({ service: 'orders', stage: 'qa', regions: ['us-west-2'], primaryRegion: 'us-west-2' });
    expect(await ctx.loadConfig()).toBe(first);
  });

  it('honours --config', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'regionctl-ctx-'));
    await writeFile(path.join(cwd, 'other.yml'), 'service: billing\nregions: [eu-west-1]\n');
    const ctx = createContext({ cwd, env: {}, global: { ...base, config: 'other.yml' }, io: createMemoryIo() });
    expect(await ctx.loadConfig()).toMatchObject({ service: 'billing', file: path.join(cwd, 'other.yml') });
  });

  it('builds one provider with --endpoint and the profile', async () => {
    const ctx = createContext({ cwd: tmpdir(), env: {}, global: { ...base, endpoint: 'http://127.0.0.1:1', profile: 'ops' }, io: createMemoryIo() });
    const aws = await ctx.aws();
    expect(aws.endpoint).toBe('http://127.0.0.1:1');
    expect(aws.profile).toBe('ops');
    expect(await ctx.aws()).toBe(aws);
    await ctx.dispose();
  });

  describe('with --local', () => {
    let cloud: LocalCloud;
    beforeAll(async () => {
      cloud = await startLocalCloud({ port: 0, clock: new ManualClock(Date.UTC(2024, 0, 1)), services: [createStsService] });
    });
    afterAll(async () => {
      await cloud.close();
    });

    it('reuses a running local cloud on --port and signs with the test credentials', async () => {
      const io = createMemoryIo();
      const ctx = createContext({ cwd: await mkdtemp(path.join(tmpdir(), 'regionctl-ctx-')), env: {}, global: { ...base, local: true, port: cloud.port, dnsPort: 0 }, io });
      const aws = await ctx.aws();
      expect(aws.endpoint).toBe(cloud.url);
      await expect(aws.verifyCredentials('eu-west-1')).resolves.toMatchObject({ account: '000000000000' });
      expect(io.events).toEqual([]);
      await ctx.dispose();
    });
  });
});

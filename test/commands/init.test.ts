import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { createContext, type GlobalOptions } from '../../src/commands/context.js';
import { initCommand } from '../../src/commands/init.js';
import { loadConfig } from '../../src/config/load.js';
import { KNOWN_KEYS } from '../../src/config/schema.js';
import { UsageError } from '../../src/errors.js';
import { createMemoryIo } from '../../src/io/index.js';

const base: GlobalOptions = { json: false, color: false, verbose: false };

async function project(name = 'Orders_API'): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'regionctl-init-')), name);
  await mkdir(dir);
  return dir;
}

describe('init', () => {
  it('writes a regionctl.yml that loads cleanly, named after the directory', async () => {
    const cwd = await project();
    const io = createMemoryIo();
    const result = await initCommand(createContext({ cwd, env: {}, global: base, io }), {});
    expect(result).toMatchObject({ file: path.join(cwd, 'regionctl.yml'), overwritten: false, service: 'orders-api' });
    const config = await loadConfig({ cwd });
    expect(config).toMatchObject({ service: 'orders-api', stage: 'dev', regions: ['us-east-1', 'us-west-2', 'eu-west-1'], primaryRegion: 'us-east-1' });
    // Issue 10: the starting configuration includes the global table, so the quick start shows it.
    expect(config.table).toEqual({ consistency: 'eventual' });
    expect(io.stdout).toContain('wrote regionctl.yml');
  });

  it('explains every key it writes with a comment', async () => {
    const cwd = await project();
    await initCommand(createContext({ cwd, env: {}, global: base, io: createMemoryIo() }), {});
    const text = await readFile(path.join(cwd, 'regionctl.yml'), 'utf8');
    const lines = text.split('\n');
    const doc = parseDocument(text);
    const keys: string[] = [];
    for (const [prefix, names] of Object.entries(KNOWN_KEYS)) {
      for (const key of names) {
        if (prefix === '' ? doc.has(key) : doc.hasIn([...prefix.split('.'), key])) keys.push(key);
      }
    }
    expect(keys.length).toBeGreaterThan(15);
    for (const key of keys) {
      const i = lines.findIndex((l) => l.trimStart().startsWith(`${key}:`));
      expect(lines[i - 1]?.trimStart().startsWith('#'), `comment above ${key}`).toBe(true);
    }
  });

  it('uses --regions and --stage, and refuses to overwrite without --force', async () => {
    const cwd = await project('svc');
    const global = { ...base, regions: ['eu-west-1', 'eu-central-1'], stage: 'prod' };
    await initCommand(createContext({ cwd, env: {}, global, io: createMemoryIo() }), {});
    expect(await loadConfig({ cwd })).toMatchObject({ service: 'svc', stage: 'prod', regions: ['eu-west-1', 'eu-central-1'], primaryRegion: 'eu-west-1' });

    await writeFile(path.join(cwd, 'regionctl.yml'), 'service: mine\nregions: [us-east-1]\n');
    const err = await initCommand(createContext({ cwd, env: {}, global, io: createMemoryIo() }), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).hint).toBe('pass --force to overwrite it');
    expect(await readFile(path.join(cwd, 'regionctl.yml'), 'utf8')).toBe('service: mine\nregions: [us-east-1]\n');

    const io = createMemoryIo({ json: true });
    const result = await initCommand(createContext({ cwd, env: {}, global, io }), { force: true });
    expect(result.overwritten).toBe(true);
    expect(JSON.parse(io.stdout)).toMatchObject({ overwritten: true, service: 'svc' });
  });
});

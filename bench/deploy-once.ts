// Time one 3-region deploy against an in-process local cloud with a data dir (persistence on).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../src/commands/context.js';
import { deployCommand } from '../src/commands/deploy.js';
import { createMemoryIo } from '../src/io/index.js';
import { ScaledClock } from '../src/local-cloud/clock.js';
import { startLocalCloud } from '../src/local-cloud/server.js';

const regions = (process.env.REGIONS ?? 'us-east-1,us-west-2,eu-west-1').split(',');
const dir = mkdtempSync(join(tmpdir(), 'regionctl-deploy-once-'));
writeFileSync(join(dir, 'regionctl.yml'), `service: once\nstage: b\nregions: [${regions.join(', ')}]\nprimaryRegion: ${regions[0]}\ndns:\n  zone: once.example\n  createZone: true\n`);
const cloud = await startLocalCloud({ port: 0, clock: new ScaledClock(60), dataDir: join(dir, 'data') });
const ctx = createContext({ cwd: dir, env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, global: { json: true, color: false, verbose: false, endpoint: cloud.url, regions }, io: createMemoryIo({ json: true }) });
const t = performance.now();
await deployCommand(ctx);
console.log(JSON.stringify({ regions: regions.length, deployS: +((performance.now() - t) / 1000).toFixed(1) }));
await cloud.close();
rmSync(dir, { recursive: true, force: true });

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { S3Client, CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { daemonStatus, readDaemonInfo, resetDaemon, startDaemon, stopDaemon } from '../../src/local-cloud/daemon.js';

// The daemon as `regionctl local start|stop|status|reset` drives it: a real background process
// on a free port, state under .regionctl/local/ surviving stop/start, reset wiping it.
const dir = mkdtempSync(join(tmpdir(), 'regionctl-daemon-'));
const port = 20_000 + Math.floor(Math.random() * 20_000);
const s3 = () => new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

afterAll(async () => {
  await stopDaemon(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe('local cloud daemon', () => {
  it('starts in the background, reports status, and a second start reuses it', async () => {
    // dnsPort 0: a free UDP port; 5353 belongs to the user (and mDNS).
    const first = await startDaemon({ cwd: dir, port, timeScale: 10, dnsPort: 0 });
    expect(first.alreadyRunning).toBe(false);
    expect(readDaemonInfo(dir)).toMatchObject({ port, timeScale: 10, url: `http://127.0.0.1:${port}` });
    const status = await daemonStatus(dir, port);
    expect(status).toMatchObject({ running: true, timeScale: 10 });
    expect((await startDaemon({ cwd: dir, port, dnsPort: 0 })).alreadyRunning).toBe(true);
  });

  it('keeps state across stop/start', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'survives-restart' }));
    expect(await stopDaemon(dir)).toBe(true);
    expect((await daemonStatus(dir, port)).running).toBe(false);
    await startDaemon({ cwd: dir, port, dnsPort: 0 });
    const names = (await s3().send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(names).toContain('survives-restart');
  });

  it('reset wipes state and restarts a running daemon', async () => {
    const result = await resetDaemon(dir);
    expect(result.restarted).toBe(true);
    expect((await s3().send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });

  it('stop is idempotent', async () => {
    expect(await stopDaemon(dir)).toBe(true);
    expect(await stopDaemon(dir)).toBe(false);
  });
});

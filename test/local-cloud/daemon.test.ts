import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { S3Client, CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { daemonStatus, readDaemonInfo, resetDaemon, startDaemon, stopDaemon } from '../../src/local-cloud/daemon.js';

// The daemon as `regionctl local start|stop|status|reset` drives it: a real background process
// on ports the OS picks (HTTP and DNS: 4566 and 5353 belong to the user), state under
// .regionctl/local/ surviving stop/start, reset wiping it.
const dir = mkdtempSync(join(tmpdir(), 'regionctl-daemon-'));
let port = 0;
const s3 = () => new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

afterAll(async () => {
  await stopDaemon(dir);
  rmSync(dir, { recursive: true, force: true });
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('local cloud daemon', () => {
  it('starts in the background on free ports, reports them, and a second start reuses it', async () => {
    const first = await startDaemon({ cwd: dir, port: 0, dnsPort: 0, timeScale: 10 });
    expect(first.alreadyRunning).toBe(false);
    port = Number(new URL(first.url).port);
    expect(port).toBeGreaterThan(0);
    const info = readDaemonInfo(dir)!;
    expect(info).toMatchObject({ port, timeScale: 10, url: `http://127.0.0.1:${port}`, pid: first.info!.pid });
    expect(info.dnsPort).toBeGreaterThan(0);
    expect([info.port, info.dnsPort]).not.toContain(4566);
    expect(info.dnsPort).not.toBe(5353);
    const status = await daemonStatus(dir, port);
    expect(status).toMatchObject({ running: true, timeScale: 10, dnsPort: info.dnsPort });
    // Port 0 again: this directory's daemon, not a second one.
    const again = await startDaemon({ cwd: dir, port: 0, dnsPort: 0 });
    expect(again).toMatchObject({ alreadyRunning: true, url: first.url });
    expect((await startDaemon({ cwd: dir, port })).alreadyRunning).toBe(true);
  });

  it('keeps state across stop/start', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'survives-restart' }));
    const dnsPort = readDaemonInfo(dir)!.dnsPort;
    expect(await stopDaemon(dir)).toBe(true);
    expect((await daemonStatus(dir, port)).running).toBe(false);
    await startDaemon({ cwd: dir, port, dnsPort });
    const names = (await s3().send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(names).toContain('survives-restart');
  });

  it('reset wipes state and restarts a running daemon on the same ports', async () => {
    const before = readDaemonInfo(dir)!;
    const result = await resetDaemon(dir);
    expect(result.restarted).toBe(true);
    expect((await s3().send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    // Not the default DNS port: the restart keeps the port the OS picked.
    expect(readDaemonInfo(dir)).toMatchObject({ port: before.port, dnsPort: before.dnsPort, timeScale: before.timeScale });
  });

  it('stop is idempotent', async () => {
    expect(await stopDaemon(dir)).toBe(true);
    expect(await stopDaemon(dir)).toBe(false);
  });

  it('waits for a local cloud that is slow to answer instead of starting a second one on its port', async () => {
    // A daemon busy on a loaded machine answers its health check after the 1 s quick probe.
    const { server, port: busy } = await listen((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service: 'regionctl-local-cloud', now: new Date().toISOString(), timeScale: 60, pid: process.pid })), 1500);
    });
    const cwd = mkdtempSync(join(tmpdir(), 'regionctl-daemon-busy-'));
    try {
      await expect(startDaemon({ cwd, port: busy, dnsPort: 0, waitMs: 10_000 })).resolves.toMatchObject({ url: `http://127.0.0.1:${busy}`, alreadyRunning: true });
      expect(readDaemonInfo(cwd)).toBeUndefined(); // no second daemon was spawned
    } finally {
      server.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('says the port is taken by another program, with what to do', async () => {
    const { server, port: taken } = await listen((_req, res) => res.writeHead(404).end('not a local cloud'));
    const cwd = mkdtempSync(join(tmpdir(), 'regionctl-daemon-taken-'));
    try {
      await expect(startDaemon({ cwd, port: taken, dnsPort: 0, waitMs: 3000 })).rejects.toMatchObject({
        name: 'DaemonError',
        code: 'LocalCloudPortInUse',
        message: `port ${taken} on 127.0.0.1 is in use by a program that is not the local cloud`,
        hint: expect.stringContaining('--port'),
      });
      expect(readDaemonInfo(cwd)).toBeUndefined();
    } finally {
      server.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

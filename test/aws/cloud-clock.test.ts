// The CLI's view of the local cloud's clock follows the daemon when it slows down or speeds up
// (the daemon paces itself to the machine, src/local-cloud/rest.ts): it re-reads the daemon's
// time and scale between slices of every sleep, and never runs backwards.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudClock } from '../../src/aws/cloud-clock.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A stand-in daemon whose health answers whatever the test sets, and counts how often it is asked. */
async function daemon(initial: { now: number; timeScale: number }) {
  // The reported time runs on at its scale from runsFrom (wall ms), as a daemon's does.
  const state = { ...initial, asked: 0, runsFrom: Date.now() };
  server = createServer((_req, res) => {
    state.asked++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, now: new Date(state.now + (Date.now() - state.runsFrom) * state.timeScale).toISOString(), timeScale: state.timeScale, dnsPort: 5399, realism: 'fast' }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, state };
}

const T0 = Date.UTC(2026, 0, 1);

describe('cloudClock against a local cloud', () => {
  it('adopts the scale the daemon runs at after a sleep, and its DNS port', async () => {
    const d = await daemon({ now: T0, timeScale: 60 });
    const clock = await cloudClock(d.url, { resyncMs: 0 });
    expect(clock).toMatchObject({ kind: 'emulator', timeScale: 60, dnsPort: 5399 });
    d.state.timeScale = 5;
    d.state.now = T0 + 600_000;
    d.state.runsFrom = Date.now();
    await clock.sleep(1);
    expect(clock.timeScale).toBe(5);
    expect(clock.now()).toBeGreaterThanOrEqual(T0 + 600_000);
  });

  it('never runs backwards when the daemon reports an earlier time (it slowed while the CLI extrapolated)', async () => {
    const d = await daemon({ now: T0, timeScale: 1000 });
    const clock = await cloudClock(d.url, { resyncMs: 0 });
    await new Promise((r) => setTimeout(r, 20)); // 20 real ms = 20 cloud s at 1000x, extrapolated
    const seen = clock.now();
    expect(seen).toBeGreaterThan(T0 + 10_000);
    // The daemon fell behind: it reports 5 cloud seconds less than the CLI saw, then runs on at 1000x.
    d.state.now = seen - 5_000;
    d.state.timeScale = 1000;
    d.state.runsFrom = Date.now();
    const readings: number[] = [];
    for (let i = 0; i < 5; i++) {
      await clock.sleep(1);
      readings.push(clock.now());
    }
    expect(readings[0]).toBeGreaterThanOrEqual(seen);
    expect(readings).toEqual([...readings].sort((a, b) => a - b));
  });

  it('asks the daemon at most once per resync interval while sleeping', async () => {
    const d = await daemon({ now: T0, timeScale: 60 });
    const clock = await cloudClock(d.url, { resyncMs: 60_000 });
    const asked = d.state.asked;
    await clock.sleep(600); // 10 real ms at 60x: within one resync interval
    expect(d.state.asked).toBe(asked);
  });

  it('is the wall clock for an endpoint without a local cloud clock', async () => {
    const clock = await cloudClock(undefined);
    expect(clock).toMatchObject({ kind: 'aws', timeScale: 1 });
  });
});

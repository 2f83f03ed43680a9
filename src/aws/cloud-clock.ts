import { wallClock, type Sleeper } from '../wait.js';

/** The clock drills measure with: the cloud's own time, and how it relates to wall time. */
export interface CloudClock extends Sleeper {
  /** Cloud seconds per wall second (1 on AWS). */
  timeScale: number;
  /** The cloud's DNS server port when it advertises one (the local cloud), for resolving its answers. */
  dnsPort?: number;
  kind: 'aws' | 'emulator';
  /** Whose delays the cloud has (drill bounds): AWS's, or the local cloud's profile (fast unless `--realism aws`). */
  realism: 'fast' | 'aws';
}

/**
 * An endpoint that runs on a virtual clock (the local cloud) advertises it at /_localcloud/health;
 * drills then measure in that clock and sleep wall time / timeScale. Anything else (AWS, moto,
 * LocalStack) runs on the wall clock.
 */
export async function cloudClock(endpoint: string | undefined): Promise<CloudClock> {
  let dnsPort: number | undefined;
  if (endpoint) {
    try {
      const res = await fetch(`${endpoint.replace(/\/$/, '')}/_localcloud/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        const body = (await res.json()) as { now?: string; timeScale?: number; dnsPort?: number; realism?: string };
        // Its DNS server answers whatever its clock (a manual one in tests has no time scale).
        dnsPort = body.dnsPort;
        if (body.now && body.timeScale && body.timeScale > 0) {
          const anchorCloud = Date.parse(body.now);
          const anchorWall = Date.now();
          const scale = body.timeScale;
          return {
            kind: 'emulator',
            realism: body.realism === 'aws' ? 'aws' : 'fast',
            timeScale: scale,
            dnsPort: body.dnsPort,
            now: () => anchorCloud + (Date.now() - anchorWall) * scale,
            sleep: (ms, signal) => wallClock.sleep(ms / scale, signal),
          };
        }
      }
    } catch {
      // not an emulator with a clock: fall through to wall time
    }
  }
  return { kind: 'aws', realism: 'aws', timeScale: 1, now: wallClock.now, sleep: wallClock.sleep, ...(dnsPort ? { dnsPort } : {}) };
}

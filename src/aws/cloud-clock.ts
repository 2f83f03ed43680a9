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
 *
 * The local cloud's scale is not fixed: it slows while the machine cannot keep up and speeds up
 * again after (src/local-cloud/rest.ts). So the clock re-reads the daemon's time and scale after
 * each slice of a sleep (at most `resyncMs` of wall time apart) and extrapolates only in between;
 * now() never runs backwards, it waits for the daemon to catch up instead.
 */
export async function cloudClock(endpoint: string | undefined, opts: { resyncMs?: number } = {}): Promise<CloudClock> {
  let dnsPort: number | undefined;
  if (endpoint) {
    const healthUrl = `${endpoint.replace(/\/$/, '')}/_localcloud/health`;
    const read = async (timeoutMs: number): Promise<Anchor | 'no-clock' | undefined> => {
      try {
        const res = await fetch(healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
        if (!res.ok) return undefined;
        const body = (await res.json()) as { now?: string; timeScale?: number; dnsPort?: number; realism?: string };
        // Its DNS server answers whatever its clock (a manual one in tests has no time scale).
        dnsPort = body.dnsPort;
        if (!body.now || !body.timeScale || !(body.timeScale > 0)) return 'no-clock';
        return { cloud: Date.parse(body.now), wall: Date.now(), scale: body.timeScale, realism: body.realism === 'aws' ? 'aws' : 'fast', ...(body.dnsPort ? { dnsPort: body.dnsPort } : {}) };
      } catch {
        return undefined;
      }
    };
    const first = await read(2000);
    if (first && first !== 'no-clock') {
      let anchor = first;
      let last = -Infinity;
      let lastResync = Date.now();
      const resyncMs = opts.resyncMs ?? 1000;
      const now = () => {
        last = Math.max(last, anchor.cloud + (Date.now() - anchor.wall) * anchor.scale);
        return last;
      };
      // A daemon that does not answer in time keeps the last anchor (extrapolated).
      const resync = async () => {
        lastResync = Date.now();
        const next = await read(Math.max(250, resyncMs));
        if (next && next !== 'no-clock') anchor = next;
      };
      const clock: CloudClock = {
        kind: 'emulator',
        realism: first.realism,
        get timeScale() {
          return anchor.scale;
        },
        dnsPort: first.dnsPort ?? dnsPort,
        now,
        async sleep(ms, signal) {
          const until = now() + ms;
          for (;;) {
            const left = until - now();
            if (left <= 0) return;
            await wallClock.sleep(Math.min(left / anchor.scale, resyncMs), signal);
            if (Date.now() - lastResync >= resyncMs) await resync();
          }
        },
      };
      return clock;
    }
  }
  return { kind: 'aws', realism: 'aws', timeScale: 1, now: wallClock.now, sleep: wallClock.sleep, ...(dnsPort ? { dnsPort } : {}) };
}

interface Anchor {
  cloud: number;
  wall: number;
  scale: number;
  realism: 'aws' | 'fast';
  dnsPort?: number;
}

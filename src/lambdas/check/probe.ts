import type { ProxyResult } from '../api-gateway.js';

/** What the check needs from the outside world; the handler wires DynamoDB, tests wire fakes. */
export interface ProbeDeps {
  /** Read the probe item; resolves when the read succeeded (the item may be absent). */
  read(id: string): Promise<unknown>;
  /** Write the probe item with the time of this check. */
  write(id: string, timestamp: string): Promise<void>;
  env: Record<string, string | undefined>;
  now(): number;
}

export interface ProbeBody {
  timestamp: string;
  region: string;
  error?: string;
}

// Health checkers and CDNs must never answer from a cache, or a dead region looks alive.
export const NO_CACHE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-cache, no-store, must-revalidate',
};

// The region is healthy when its managed services answer: read AND write the probe item.
// The published recipe passed the functions themselves to Promise.all (never calling them), so it
// always answered 503; both calls are made here and both must succeed.
export async function probe(deps: ProbeDeps): Promise<ProxyResult> {
  const region = deps.env.AWS_REGION ?? 'unknown';
  const timestamp = new Date(deps.now()).toISOString();
  if (deps.env.UNHEALTHY === 'true') {
    return answer(503, { timestamp, region, error: 'UNHEALTHY is set to true' });
  }
  try {
    await Promise.all([deps.read(region), deps.write(region, timestamp)]);
    return answer(200, { timestamp, region });
  } catch (err) {
    return answer(503, { timestamp, region, error: describe(err) });
  }
}

function answer(statusCode: number, body: ProbeBody): ProxyResult {
  return { statusCode, headers: { ...NO_CACHE_HEADERS }, body: JSON.stringify(body) };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

import { checkUrl } from './check-url.js';

export interface PingDeps {
  env: Record<string, string | undefined>;
  fetch(url: string, init: { method: string; signal: AbortSignal; headers: Record<string, string> }): Promise<{ status: number }>;
  log(line: string): void;
  now(): number;
  timeoutMs?: number;
}

export interface PingResult {
  url?: string;
  status?: number;
  error?: string;
  ms: number;
}

// The canary only drives traffic so the 5XXError alarm has something to judge: a 503 or a network
// error is a finding to log, never a failure (a throw would make EventBridge retry and skew the count).
export async function ping(deps: PingDeps): Promise<PingResult> {
  const started = deps.now();
  let url: string | undefined;
  try {
    url = checkUrl(deps.env);
    const res = await deps.fetch(url, {
      method: 'GET',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 8000),
      headers: { 'User-Agent': 'regionctl-canary', 'Cache-Control': 'no-cache' },
    });
    const result = { url, status: res.status, ms: deps.now() - started };
    deps.log(JSON.stringify({ check: url, status: res.status, ms: result.ms }));
    return result;
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const result = { url, error, ms: deps.now() - started };
    deps.log(JSON.stringify({ check: url ?? null, error, ms: result.ms }));
    return result;
  }
}

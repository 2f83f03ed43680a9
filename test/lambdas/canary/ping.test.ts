import { describe, expect, it } from 'vitest';
import { ping, type PingDeps } from '../../../src/lambdas/canary/ping.js';

const env = { API_ID: 'abc', STAGE: 'dev', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };

function deps(answer: () => Promise<{ status: number }>, overrides: Partial<PingDeps> = {}) {
  const lines: string[] = [];
  const calls: Array<{ url: string; method: string }> = [];
  let t = 1000;
  const d: PingDeps = {
    env,
    fetch: async (url, init) => {
      calls.push({ url, method: init.method });
      t += 25;
      return answer();
    },
    log: (line) => lines.push(line),
    now: () => t,
    ...overrides,
  };
  return { d, lines, calls };
}

describe('canary ping', () => {
  it('GETs /check once and logs the status and duration', async () => {
    const { d, lines, calls } = deps(async () => ({ status: 200 }));
    const result = await ping(d);
    expect(calls).toEqual([{ url: 'http://127.0.0.1:4566/restapis/abc/dev/_user_request_/check', method: 'GET' }]);
    expect(result).toEqual({ url: calls[0].url, status: 200, ms: 25 });
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ check: calls[0].url, status: 200, ms: 25 }]);
  });

  it('reports a 503 as a result, not an error: it only drives traffic for the alarm', async () => {
    const { d, lines } = deps(async () => ({ status: 503 }));
    await expect(ping(d)).resolves.toMatchObject({ status: 503 });
    expect(JSON.parse(lines[0])).toMatchObject({ status: 503 });
  });

  it('never throws, even when the request fails or the environment is incomplete', async () => {
    const failing = deps(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    await expect(ping(failing.d)).resolves.toMatchObject({ error: 'connect ECONNREFUSED', url: expect.stringContaining('/check') });
    expect(JSON.parse(failing.lines[0])).toMatchObject({ error: 'connect ECONNREFUSED' });

    const unset = deps(async () => ({ status: 200 }), { env: { STAGE: 'dev' } });
    await expect(ping(unset.d)).resolves.toMatchObject({ error: 'API_ID is not set' });
    expect(unset.calls).toEqual([]);
  });
});

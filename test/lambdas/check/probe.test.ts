import { describe, expect, it } from 'vitest';
import { probe, type ProbeDeps } from '../../../src/lambdas/check/probe.js';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

function deps(over: Partial<ProbeDeps> = {}) {
  const calls: string[] = [];
  const base: ProbeDeps = {
    env: { AWS_REGION: 'eu-west-1' },
    now: () => NOW,
    read: async (id) => {
      calls.push(`read:${id}`);
      return { id };
    },
    write: async (id, ts) => {
      calls.push(`write:${id}:${ts}`);
    },
  };
  return { deps: { ...base, ...over }, calls };
}

describe('check probe', () => {
  it('reads and writes the probe item, then answers 200 with timestamp and region', async () => {
    const { deps: d, calls } = deps();
    const res = await probe(d);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ timestamp: '2026-01-02T03:04:05.000Z', region: 'eu-west-1' });
    expect(calls.sort()).toEqual(['read:eu-west-1', 'write:eu-west-1:2026-01-02T03:04:05.000Z']);
  });

  it('never lets a cache answer for it', async () => {
    for (const env of [{ AWS_REGION: 'us-east-1' }, { AWS_REGION: 'us-east-1', UNHEALTHY: 'true' }]) {
      const res = await probe(deps({ env }).deps);
      expect(res.headers?.['Cache-Control']).toBe('no-cache, no-store, must-revalidate');
      expect(res.headers?.['Content-Type']).toBe('application/json');
    }
  });

  it('answers 503 with the error when the read fails', async () => {
    const res = await probe(deps({ read: async () => Promise.reject(new Error('connect ECONNREFUSED')) }).deps);
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toEqual({
      timestamp: '2026-01-02T03:04:05.000Z',
      region: 'eu-west-1',
      error: 'connect ECONNREFUSED',
    });
  });

  it('answers 503 naming the error class when the write fails', async () => {
    const failure = Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
    const res = await probe(deps({ write: async () => Promise.reject(failure) }).deps);
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body).error).toBe('ResourceNotFoundException: Requested resource not found');
  });

  it('answers 503 without touching DynamoDB when UNHEALTHY=true', async () => {
    const { deps: d, calls } = deps({ env: { AWS_REGION: 'ap-south-1', UNHEALTHY: 'true' } });
    const res = await probe(d);
    expect(res.statusCode).toBe(503);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ region: 'ap-south-1', timestamp: '2026-01-02T03:04:05.000Z' });
    expect(body.error).toMatch(/UNHEALTHY/);
    expect(calls).toEqual([]);
  });

  it('stays healthy for any UNHEALTHY value other than "true"', async () => {
    for (const value of ['false', '', 'TRUE ', '1']) {
      const res = await probe(deps({ env: { AWS_REGION: 'us-east-1', UNHEALTHY: value } }).deps);
      expect(res.statusCode).toBe(200);
    }
  });
});

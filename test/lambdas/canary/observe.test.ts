import { describe, expect, it } from 'vitest';
import { isObserveEvent, observe, type ObserveDeps } from '../../../src/lambdas/canary/observe.js';

const env = { AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'shop-test-canary', STAGE: 'test' };

function deps(over: Partial<ObserveDeps> = {}): ObserveDeps & { calls: string[] } {
  const calls: string[] = [];
  let t = 0;
  return {
    env,
    calls,
    now: () => (t += 7),
    resolve4: async (name) => (name.startsWith('test-shop') ? ['52.208.0.10'] : ['13.32.0.1']),
    hello: async (req) => {
      calls.push(`${req.name}@${req.address}`);
      return { status: 200, body: JSON.stringify({ message: 'Your function executed successfully in eu-west-1!' }) };
    },
    ...over,
  };
}

describe('canary observe (a region\'s vantage point)', () => {
  it('tells an observe event from the schedule\'s event', () => {
    expect(isObserveEvent({ observe: { names: ['a.example'] } })).toBe(true);
    expect(isObserveEvent({ source: 'aws.events' })).toBe(false);
    expect(isObserveEvent(null)).toBe(false);
  });

  it('resolves each name, calls /hello on the address it resolved, and names the region that answered', async () => {
    const d = deps();
    const out = await observe({ observe: { names: ['test-shop.shop.example', 'shop.shop.example.'] } }, d);
    expect(out).toEqual({
      region: 'eu-west-1',
      observations: [
        { name: 'test-shop.shop.example', address: '52.208.0.10', status: 200, servedBy: 'eu-west-1', latencyMs: 14 },
        { name: 'shop.shop.example', address: '13.32.0.1', status: 200, servedBy: 'eu-west-1', latencyMs: 14 },
      ],
    });
    expect(d.calls).toEqual(['test-shop.shop.example@52.208.0.10', 'shop.shop.example@13.32.0.1']);
  });

  it('prefers the body\'s region and falls back to the local cloud\'s header', async () => {
    const out = await observe({ observe: { names: ['shop.a.example'] } }, deps({ hello: async () => ({ status: 200, region: 'us-west-2', body: 'not json' }) }));
    expect(out.observations[0]).toMatchObject({ servedBy: 'us-west-2' });
  });

  it('reports what failed instead of throwing: no record, no answer, not a host name', async () => {
    const d = deps({
      resolve4: async (name) => {
        if (name === 'test-shop.gone.example') throw Object.assign(new Error('queryA ENOTFOUND gone.example'), { code: 'ENOTFOUND' });
        return ['1.2.3.4'];
      },
      hello: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    });
    const out = await observe({ observe: { names: ['test-shop.gone.example', 'test-shop.down.example', 'http://evil/x'] } }, d);
    expect(out.observations).toEqual([
      { name: 'test-shop.gone.example', error: 'does not resolve: ENOTFOUND' },
      { name: 'test-shop.down.example', address: '1.2.3.4', latencyMs: 7, error: 'ECONNREFUSED' },
      { name: 'http://evil/x', error: 'not a host name' },
    ]);
  });

  it('calls only the stage\'s own names, never one an invoker makes up', async () => {
    const d = deps();
    const out = await observe({ observe: { names: ['internal.corp.example', 'test-other.shop.example', 'shop.shop.example'] } }, d);
    expect(out.observations.map((o) => [o.name, o.error ?? 'ok'])).toEqual([
      ['internal.corp.example', "not one of this stage's names (test-shop.<zone>, shop.<zone>)"],
      ['test-other.shop.example', "not one of this stage's names (test-shop.<zone>, shop.<zone>)"],
      ['shop.shop.example', 'ok'],
    ]);
    expect(d.calls).toEqual(['shop.shop.example@13.32.0.1']);
    const unknown = await observe({ observe: { names: ['test-shop.shop.example'] } }, deps({ env: { AWS_REGION: 'eu-west-1' } }));
    expect(unknown.observations[0].error).toMatch(/not one of this stage's names \(unknown\)/);
  });

  it('looks at no more than four names per invocation', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'].map((z) => `shop.${z}.example`);
    const out = await observe({ observe: { names } }, deps());
    expect(out.observations.map((o) => o.name)).toEqual(names.slice(0, 4));
  });
});

import { describe, expect, it } from 'vitest';
import { mismatchedFlags } from '../../../src/local-cloud/daemon.js';

describe('a running daemon keeps its realism and client location', () => {
  it('names the flags a start against it could not apply', () => {
    const running = { timeScale: 1, dnsPort: 5353, realism: 'fast', clientLocation: 'subnets' };
    expect(mismatchedFlags(running, { realism: 'aws', clientLocation: 'none' })).toEqual(['--realism aws (it runs fast)', '--client-location none (it runs subnets)']);
    expect(mismatchedFlags(running, { realism: 'fast', clientLocation: 'subnets' })).toEqual([]);
    // A daemon from before these flags runs the defaults.
    expect(mismatchedFlags({ timeScale: 1, dnsPort: 5353 }, { realism: 'aws' })).toEqual(['--realism aws (it runs fast)']);
    const rests = { timeScale: 60, rest: { resting: false, activeScale: 60, restScale: 1, restAfterSeconds: 30 } };
    expect(mismatchedFlags(rests, { restAfter: 30 })).toEqual([]);
    expect(mismatchedFlags(rests, { restAfter: 0 })).toEqual(['--rest-after never (it rests after 30s)']);
    expect(mismatchedFlags({ timeScale: 60, rest: null }, { restAfter: 120 })).toEqual(['--rest-after 120s (it never rests)']);
  });
});

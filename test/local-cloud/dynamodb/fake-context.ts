import { ManualClock } from '../../../src/local-cloud/clock.js';
import { ContentBlobStore } from '../../../src/local-cloud/persistence/blobs.js';
import { JsonStateStore } from '../../../src/local-cloud/state.js';
import type { CloudContext } from '../../../src/local-cloud/types.js';

/** An in-memory CloudContext for exercising a domain class without the HTTP front door. */
export function fakeContext(clock = new ManualClock()): CloudContext {
  return {
    clock,
    accountId: '000000000000',
    url: () => 'http://127.0.0.1:4566',
    state: new JsonStateStore(),
    blobs: new ContentBlobStore(),
    workDir: '/tmp',
    service: () => undefined as never,
    resource: () => undefined,
    log: () => {},
  };
}

// Zones, records and health-check state survive a restart; HTTP checkers are re-armed on the clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createRoute53Service } from '../../../src/local-cloud/route53/index.js';
import { startLocalCloud } from '../../../src/local-cloud/server.js';
import { FakeApis, fakeApiGateway } from './fake-services.js';

const dataDir = mkdtempSync(join(tmpdir(), 'route53-persist-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('Route 53 across restarts', () => {
  it('keeps zones and checker state and keeps probing after a restart', async () => {
    const clock = new ManualClock();
    const apis = new FakeApis();
    apis.status.set('persist001', 500);
    const services = [fakeApiGateway(apis), createRoute53Service];
    const first = await startLocalCloud({ port: 0, clock, dataDir, services });
    const r53 = first.service('route53');
    const { zone } = r53.zones.create({ name: 'persist.example.com', callerReference: 'p' });
    r53.zones.change(zone.id, [{ action: 'CREATE', record: { name: 'a.persist.example.com.', type: 'A', ttl: 60, values: ['192.0.2.7'] } }]);
    const id = r53.createHealthCheck('p', { Type: 'HTTPS', FullyQualifiedDomainName: 'persist001.execute-api.us-east-1.amazonaws.com', ResourcePath: '/prod/', RequestInterval: 10, FailureThreshold: 2, Port: 443 });
    await clock.advance(10_000); // one failure per checker: still healthy
    expect(r53.healthCheckStatus(id)).toBe('Healthy');
    await first.close();

    const second = await startLocalCloud({ port: 0, clock, dataDir, services });
    const again = second.service('route53');
    expect(again.resolve('a.persist.example.com', 'A').records).toEqual(['192.0.2.7']);
    await clock.advance(10_000); // the second failure flips every checker
    expect(again.healthCheckStatus(id)).toBe('Unhealthy');
    await second.close();
  });
});

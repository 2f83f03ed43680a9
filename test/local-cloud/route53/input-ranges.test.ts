// Route 53 request validation of numeric ranges and lengths (API_ResourceRecordSet.html, API_HealthCheckConfig.html),
// applied to wire changes and CloudFormation record sets alike.
import { describe, expect, it } from 'vitest';
import { healthCheckConfigFrom, recordSetFrom } from '../../../src/local-cloud/route53/record-input.js';

const record = { Name: 'a.example.com', Type: 'A', ResourceRecords: { ResourceRecord: { Value: '192.0.2.1' } } };
const at = { action: 'CREATE', index: 2 };

describe('Route 53 input ranges', () => {
  it('TTL is 0 to 2147483647 and Weight 0 to 255, named by their place in the batch', () => {
    expect(() => recordSetFrom({ ...record, TTL: '-1' }, at)).toThrow(
      "1 validation error detected: Value '-1' at 'changeBatch.changes.2.member.resourceRecordSet.tTL' failed to satisfy constraint: Member must have value greater than or equal to 0",
    );
    expect(() => recordSetFrom({ ...record, TTL: '2147483648' }, at)).toThrow('Member must have value less than or equal to 2147483647');
    expect(() => recordSetFrom({ ...record, TTL: '60', SetIdentifier: 'x', Weight: '256' }, at)).toThrow(
      "Value '256' at 'changeBatch.changes.2.member.resourceRecordSet.weight' failed to satisfy constraint: Member must have value less than or equal to 255",
    );
    expect(recordSetFrom({ ...record, TTL: '0' }, at).ttl).toBe(0);
    expect(recordSetFrom({ ...record, TTL: '2147483647' }).ttl).toBe(2147483647);
  });

  it('health check ports, thresholds and string lengths', () => {
    const base = { Type: 'HTTP', IPAddress: '192.0.2.1' };
    expect(() => healthCheckConfigFrom({ ...base, Port: '0' })).toThrow("Value '0' at 'healthCheckConfig.port' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect(() => healthCheckConfigFrom({ ...base, Port: '65536' })).toThrow('Member must have value less than or equal to 65535');
    expect(() => healthCheckConfigFrom({ ...base, FailureThreshold: '11' })).toThrow("at 'healthCheckConfig.failureThreshold'");
    expect(() => healthCheckConfigFrom({ ...base, ResourcePath: `/${'p'.repeat(255)}` })).toThrow("at 'healthCheckConfig.resourcePath' failed to satisfy constraint: Member must have length less than or equal to 255");
    expect(() => healthCheckConfigFrom({ Type: 'CALCULATED', HealthThreshold: '257' })).toThrow("at 'healthCheckConfig.healthThreshold'");
    expect(healthCheckConfigFrom({ ...base, Port: '65535', FailureThreshold: '10' })).toMatchObject({ Port: 65535, FailureThreshold: 10 });
  });
});

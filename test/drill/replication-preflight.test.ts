// The replication drill's preflight calls a table missing only when DynamoDB says so: a denied or
// throttled DescribeTable surfaces as itself, not as "does not exist" with a hint to deploy.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { replicationDrill, type ReplicationClients } from '../../src/drill/replication.js';
import { createMemoryIo } from '../../src/io/index.js';
import { ManualClock } from '../../src/local-cloud/clock.js';

function drillWith(error: Error) {
  const dynamodb = { send: async () => Promise.reject(error) } as unknown as DynamoDBClient;
  const clients = { dynamodb: () => dynamodb } as unknown as ReplicationClients;
  const clock = new ManualClock();
  return replicationDrill({
    service: 'shop',
    stage: 'test',
    regions: ['us-east-1', 'us-west-2'],
    primaryRegion: 'us-east-1',
    table: { consistency: 'eventual' } as never,
    clients,
    io: createMemoryIo(),
    clock: { now: () => clock.now(), sleep: async (ms: number) => clock.advance(ms) },
    samples: 1,
  });
}

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('drill replication preflight', () => {
  it('reports a missing table as TableMissing, with the hint to deploy', async () => {
    await expect(drillWith(awsError('ResourceNotFoundException', 'Requested resource not found'))).rejects.toMatchObject({ code: 'TableMissing', message: expect.stringContaining('does not exist in us-east-1') });
  });

  it('lets AccessDenied and throttling through as themselves', async () => {
    await expect(drillWith(awsError('AccessDeniedException', 'not authorized to perform: dynamodb:DescribeTable'))).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('not authorized') });
    await expect(drillWith(awsError('ThrottlingException', 'Rate exceeded'))).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

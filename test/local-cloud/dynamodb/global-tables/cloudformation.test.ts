// AWS::DynamoDB::GlobalTable through CloudFormation on the local cloud, replicas waited for on the virtual clock.
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/local-cloud/clock.js';
import { createCloudFormationService } from '../../../../src/local-cloud/cloudformation/index.js';
import { createDynamoDbService } from '../../../../src/local-cloud/dynamodb/index.js';
import { startLocalCloud, type LocalCloud } from '../../../../src/local-cloud/server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let clock: ManualClock;
let cfn: CloudFormationClient;
const db: Record<string, DynamoDBClient> = {};

beforeEach(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, services: [createDynamoDbService, createCloudFormationService] });
  cfn = new CloudFormationClient({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  for (const region of ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1']) db[region] = new DynamoDBClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
});

afterEach(async () => {
  cfn.destroy();
  for (const c of Object.values(db)) c.destroy();
  await cloud.close();
});

const template = (regions: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: {
          TableName: 'things',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          Replicas: regions.map((Region) => ({ Region })),
          ...extra,
        },
      },
    },
    Outputs: { StreamArn: { Value: { 'Fn::GetAtt': ['Table', 'StreamArn'] } } },
  });

/** Advance cloud time until the stack leaves *_IN_PROGRESS; returns its status and the cloud ms it took. */
async function settle(name = 'global'): Promise<{ status: string; ms: number }> {
  const start = clock.now();
  for (let i = 0; i < 200; i++) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return { status: stack.StackStatus!, ms: clock.now() - start };
    await clock.advance(5_000);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('stack did not settle');
}

const replicas = async (region: string) => (await db[region]!.send(new DescribeTableCommand({ TableName: 'things' }))).Table!.Replicas;

describe('AWS::DynamoDB::GlobalTable', () => {
  it('creates the table and its replicas one at a time, updates the replica list and deletes replicas before the table', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'global', TemplateBody: template(['us-east-1', 'us-west-2', 'eu-west-1']) }));
    const created = await settle();
    expect(created.status).toBe('CREATE_COMPLETE');
    expect(created.ms).toBeGreaterThanOrEqual(120_000); // two replicas, each CREATING for a minute
    expect(await replicas('us-east-1')).toEqual([
      { RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' },
      { RegionName: 'us-west-2', ReplicaStatus: 'ACTIVE' },
    ]);
    const outputs = (await cfn.send(new DescribeStacksCommand({ StackName: 'global' }))).Stacks![0]!.Outputs!;
    expect(outputs[0]!.OutputValue).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/things\/stream\//);

    await cfn.send(new UpdateStackCommand({ StackName: 'global', TemplateBody: template(['us-east-1', 'us-west-2']) }));
    expect((await settle()).status).toBe('UPDATE_COMPLETE');
    expect(await replicas('us-east-1')).toEqual([{ RegionName: 'us-west-2', ReplicaStatus: 'ACTIVE' }]);
    expect(await db['eu-west-1']!.send(new DescribeTableCommand({ TableName: 'things' })).catch((e) => e)).toBeInstanceOf(ResourceNotFoundException);

    await cfn.send(new DeleteStackCommand({ StackName: 'global' }));
    await settle().catch(() => undefined);
    for (const region of ['us-east-1', 'us-west-2'])
      expect(await db[region]!.send(new DescribeTableCommand({ TableName: 'things' })).catch((e) => e), region).toBeInstanceOf(ResourceNotFoundException);
  });

  it('creates an MRSC global table with a witness in one step and removes it whole', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'global',
        TemplateBody: template(['us-east-1', 'us-east-2'], { MultiRegionConsistency: 'STRONG', GlobalTableWitnesses: [{ Region: 'us-west-2' }], StreamSpecification: undefined }),
      }),
    );
    const created = await settle();
    expect(created.status).toBe('CREATE_COMPLETE');
    expect(created.ms).toBeLessThan(120_000); // replicas and witness are created together
    const t = (await db['us-east-2']!.send(new DescribeTableCommand({ TableName: 'things' }))).Table!;
    expect(t).toMatchObject({ MultiRegionConsistency: 'STRONG', Replicas: [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }], GlobalTableWitnesses: [{ RegionName: 'us-west-2', WitnessStatus: 'ACTIVE' }] });
    await cfn.send(new DeleteStackCommand({ StackName: 'global' }));
    await settle().catch(() => undefined);
    for (const region of ['us-east-1', 'us-east-2'])
      expect(await db[region]!.send(new DescribeTableCommand({ TableName: 'things' })).catch((e) => e), region).toBeInstanceOf(ResourceNotFoundException);
  });

  it('fails the stack with a reason for provisioned capacity, a missing stream or a replica list without its own region', async () => {
    for (const [regions, extra, reason] of [
      [['us-east-1', 'us-west-2'], { BillingMode: 'PROVISIONED' }, /on-demand or auto-scaled/],
      [['us-east-1', 'us-west-2'], { StreamSpecification: undefined }, /StreamSpecification with StreamViewType NEW_AND_OLD_IMAGES is required/],
      [['us-west-2', 'eu-west-1'], {}, /must include the region the stack is deployed in \(us-east-1\)/],
    ] as const) {
      const name = `bad-${reason.source.length}`;
      await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: template([...regions], extra), OnFailure: 'DO_NOTHING' }));
      expect((await settle(name)).status).toBe('CREATE_FAILED');
      const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents!;
      const failed = events.find((e) => e.LogicalResourceId === 'Table' && e.ResourceStatus === 'CREATE_FAILED');
      expect(failed?.ResourceStatusReason).toMatch(reason);
    }
  });
});

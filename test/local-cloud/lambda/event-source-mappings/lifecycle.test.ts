// Event-source mappings across a restart, with record age limits, and from CloudFormation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DescribeStackResourceCommand, DescribeStacksCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, GetEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/local-cloud/clock.js';
import { createCloudFormationService } from '../../../../src/local-cloud/cloudformation/index.js';
import { createDynamoDbService } from '../../../../src/local-cloud/dynamodb/index.js';
import { createLambdaService } from '../../../../src/local-cloud/lambda/index.js';
import { startLocalCloud, type LocalCloud } from '../../../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from '../fake-cloud.js';

const region = 'eu-west-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Session {
  cloud: LocalCloud;
  ddb: DynamoDBClient;
  lambda: LambdaClient;
  batches: string[][];
  step(ms: number): Promise<void>;
  put(id: string): Promise<void>;
  close(): Promise<void>;
}

async function open(clock: ManualClock, dataDir?: string, extra = false): Promise<Session> {
  const cloud = await startLocalCloud({ port: 0, clock, dataDir, services: [createDynamoDbService, createLambdaService, ...(extra ? [createCloudFormationService] : [])] });
  const ddb = new DynamoDBClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  const lambda = new LambdaClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  const domain = cloud.service('lambda');
  const batches: string[][] = [];
  const invoke = domain.invoke.bind(domain);
  domain.invoke = async (r, name, payload, opts) => {
    const event = JSON.parse(payload.toString());
    if (Array.isArray(event.Records)) batches.push(event.Records.map((rec: { dynamodb: { Keys: { id: { S: string } } } }) => rec.dynamodb.Keys.id.S));
    return invoke(r, name, payload, opts);
  };
  const step = async (ms: number) => {
    for (let done = 0; done < ms; done += 250) {
      await clock.advance(Math.min(250, ms - done));
      await domain.eventSourceMappings!.settled();
    }
  };
  return {
    cloud,
    ddb,
    lambda,
    batches,
    step,
    put: async (id) => void (await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: id } } }))),
    async close() {
      await domain.eventSourceMappings!.settled();
      ddb.destroy();
      lambda.destroy();
      await cloud.close();
    },
  };
}

async function tableAndFunction(s: Session): Promise<string> {
  const t = await s.ddb.send(
    new CreateTableCommand({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    }),
  );
  await s.lambda.send(new CreateFunctionCommand({ FunctionName: 'process', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'stream-handlers.process', Code: { ZipFile: fixtureZip('stream-handlers.js') } }));
  return t.TableDescription!.LatestStreamArn!;
}

describe('event-source mapping lifecycle', () => {
  it('keeps its checkpoint across a restart of the local cloud', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regionctl-esm-'));
    dirs.push(dir);
    const clock = new ManualClock();
    const first = await open(clock, dir);
    const arn = await tableAndFunction(first);
    const { UUID } = await first.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'process', EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON' }));
    await first.put('a');
    await first.step(5500);
    expect(first.batches).toEqual([['a']]);
    await first.close();

    const second = await open(clock, dir);
    await second.put('b');
    await second.step(500);
    expect(second.batches).toEqual([['b']]); // 'a' is not delivered again
    expect((await second.lambda.send(new GetEventSourceMappingCommand({ UUID }))).State).toBe('Enabled');
    await second.close();
  });

  it('gives up records older than MaximumRecordAgeInSeconds without invoking', async () => {
    const clock = new ManualClock();
    const s = await open(clock);
    const arn = await tableAndFunction(s);
    await s.put('stale');
    await s.step(61_000);
    await s.put('fresh');
    const { UUID } = await s.lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'process', EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', MaximumRecordAgeInSeconds: 60 }),
    );
    await s.step(5500);
    expect(s.batches).toEqual([['fresh']]);
    const m = s.cloud.service('lambda').eventSourceMappings!.mapping(UUID!);
    expect(m.discarded.map((d) => d.reason)).toEqual(['RecordAgeExceeded']);
    await s.close();
  });

  it('is created by CloudFormation from AWS::Lambda::EventSourceMapping on a table StreamArn', async () => {
    const clock = new ManualClock();
    const s = await open(clock, undefined, true);
    const cfn = new CloudFormationClient({ endpoint: s.cloud.url, region, credentials, maxAttempts: 1 });
    const template = {
      Resources: {
        Table: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            TableName: 'things',
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
          },
        },
        Trigger: {
          Type: 'AWS::Lambda::Function',
          Properties: { Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async (e) => ({ n: e.Records.length });' } },
        },
        Mapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { FunctionName: { Ref: 'Trigger' }, EventSourceArn: { 'Fn::GetAtt': ['Table', 'StreamArn'] }, StartingPosition: 'LATEST', BatchSize: '10' },
        },
      },
      Outputs: { MappingArn: { Value: { 'Fn::GetAtt': ['Mapping', 'EventSourceMappingArn'] } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'events', TemplateBody: JSON.stringify(template) }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'events' });
    const uuid = (await cfn.send(new DescribeStackResourceCommand({ StackName: 'events', LogicalResourceId: 'Mapping' }))).StackResourceDetail!.PhysicalResourceId!;
    const outputs = (await cfn.send(new DescribeStacksCommand({ StackName: 'events' }))).Stacks![0]!.Outputs!;
    expect(outputs[0]!.OutputValue).toBe(`arn:aws:lambda:${region}:000000000000:event-source-mapping:${uuid}`);
    const m = await s.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    expect(m).toMatchObject({ BatchSize: 10, StartingPosition: 'LATEST', State: 'Creating' });
    await s.step(5000);
    await s.put('x');
    await s.step(500);
    expect(s.batches).toEqual([['x']]);
    cfn.destroy();
    await s.close();
  });
});

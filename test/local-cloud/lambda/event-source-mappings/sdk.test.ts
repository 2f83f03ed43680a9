// Lambda event-source mappings on DynamoDB streams, through the real SDK v3 clients, on the virtual clock.
import { CreateTableCommand, DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  InvalidParameterValueException,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingRequest,
} from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/local-cloud/clock.js';
import { createDynamoDbService } from '../../../../src/local-cloud/dynamodb/index.js';
import { createLambdaService, type LambdaDomain } from '../../../../src/local-cloud/lambda/index.js';
import { startLocalCloud, type LocalCloud } from '../../../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from '../fake-cloud.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let clock: ManualClock;
let ddb: DynamoDBClient;
let lambda: LambdaClient;
let domain: LambdaDomain;
/** Every batch handed to a function: the keys of its records. */
let batches: string[][];
let streamArn: string;

beforeEach(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, services: [createDynamoDbService, createLambdaService] });
  ddb = new DynamoDBClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  lambda = new LambdaClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  domain = cloud.service('lambda');
  batches = [];
  const invoke = domain.invoke.bind(domain);
  domain.invoke = async (r, name, payload, opts) => {
    const event = JSON.parse(payload.toString());
    if (Array.isArray(event.Records)) batches.push(event.Records.map((rec: { dynamodb: { Keys: { id: { S: string } } } }) => rec.dynamodb.Keys.id.S));
    return invoke(r, name, payload, opts);
  };
  const table = await ddb.send(
    new CreateTableCommand({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  streamArn = table.TableDescription!.LatestStreamArn!;
  for (const handler of ['process', 'partial', 'badIdentifier'])
    await lambda.send(
      new CreateFunctionCommand({ FunctionName: handler, Runtime: 'nodejs20.x', Role: ROLE, Handler: `stream-handlers.${handler}`, Code: { ZipFile: fixtureZip('stream-handlers.js') } }),
    );
});

afterEach(async () => {
  await domain.eventSourceMappings!.settled();
  ddb.destroy();
  lambda.destroy();
  await cloud.close();
});

/** Advance cloud time in poll-sized steps, letting every batch started finish in between. */
async function step(ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 250) {
    await clock.advance(Math.min(250, ms - done));
    await domain.eventSourceMappings!.settled();
  }
}

async function put(id: string, extra: Record<string, AttributeValue> = {}): Promise<void> {
  await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: id }, ...extra } }));
}

async function mapping(input: Partial<CreateEventSourceMappingRequest> = {}): Promise<string> {
  const created = await lambda.send(
    new CreateEventSourceMappingCommand({ FunctionName: 'process', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', ...input }),
  );
  await step(5000);
  return created.UUID!;
}

const state = async (uuid: string) => (await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State;

describe('event-source mappings over the wire', () => {
  it('goes Creating → Enabled, updates, disables, re-enables and deletes on the clock', async () => {
    const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'process', EventSourceArn: streamArn, StartingPosition: 'LATEST' }));
    expect(created).toMatchObject({
      State: 'Creating',
      EventSourceArn: streamArn,
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:process',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false,
      StartingPosition: 'LATEST',
      LastProcessingResult: 'No records processed',
    });
    expect(created.EventSourceMappingArn).toBe(`arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID}`);
    const uuid = created.UUID!;
    await step(4750);
    expect(await state(uuid)).toBe('Creating');
    await step(250);
    expect(await state(uuid)).toBe('Enabled');

    const dup = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'process', EventSourceArn: streamArn, StartingPosition: 'LATEST' })).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ResourceConflictException);
    expect((dup as Error).message).toContain(uuid);
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'process' }));
    expect(listed.EventSourceMappings?.map((m) => m.UUID)).toEqual([uuid]);
    expect((await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: `${streamArn}x` }))).EventSourceMappings).toEqual([]);

    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 7 }));
    expect(updated.State).toBe('Updating');
    expect(updated.BatchSize).toBe(7);
    const busy = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 8 })).catch((e: unknown) => e);
    expect((busy as Error).name).toBe('ResourceInUseException');
    await step(5000);
    expect(await state(uuid)).toBe('Enabled');

    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }))).State).toBe('Disabling');
    await step(5000);
    expect(await state(uuid)).toBe('Disabled');
    await put('while-disabled');
    await step(2000);
    expect(batches).toEqual([]);
    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }))).State).toBe('Enabling');
    await step(5250);
    expect(batches).toEqual([['while-disabled']]); // the checkpoint survives disabling

    expect((await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Deleting');
    await step(5000);
    const gone = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses what AWS refuses', async () => {
    const bad = (input: Partial<CreateEventSourceMappingRequest>) =>
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'process', EventSourceArn: streamArn, StartingPosition: 'LATEST', ...input })).catch((e: unknown) => e);
    expect(await bad({ FunctionName: 'missing' })).toBeInstanceOf(ResourceNotFoundException);
    const noStream = await bad({ EventSourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2026-01-01T00:00:00.000' });
    expect(noStream).toBeInstanceOf(InvalidParameterValueException);
    expect((noStream as Error).message).toMatch(/^Cannot access stream arn:aws:dynamodb:us-east-1:000000000000:table\/nope\/stream/);
    expect(await bad({ StartingPosition: undefined })).toBeInstanceOf(InvalidParameterValueException);
    expect(await bad({ StartingPosition: 'AT_TIMESTAMP' })).toBeInstanceOf(InvalidParameterValueException);
    expect(((await bad({ BatchSize: 0 })) as Error).name).toBe('ValidationException');
    expect(((await bad({ BatchSize: 10001 })) as Error).name).toBe('ValidationException');
    expect(((await bad({ MaximumBatchingWindowInSeconds: 301 })) as Error).name).toBe('ValidationException');
    expect(((await bad({ MaximumRetryAttempts: -2 })) as Error).name).toBe('ValidationException');
    expect(await bad({ MaximumRecordAgeInSeconds: 30 })).toBeInstanceOf(InvalidParameterValueException);
    expect((await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings).toEqual([]);
  });

  it('TRIM_HORIZON delivers what was already in the stream, LATEST only what comes after it is Enabled', async () => {
    await put('before');
    await mapping({ StartingPosition: 'TRIM_HORIZON' });
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'partial', EventSourceArn: streamArn, StartingPosition: 'LATEST' }));
    await put('during-creating');
    await step(5000);
    await put('after');
    await step(500);
    expect(batches).toEqual([['before'], ['during-creating'], ['after'], ['after']]);
  });

  it('passes the stream record shape with eventSourceARN, in batches of BatchSize, in order', async () => {
    const events: unknown[] = [];
    const invoke = domain.invoke.bind(domain);
    domain.invoke = async (r, n, payload, o) => {
      events.push(JSON.parse(payload.toString()));
      return invoke(r, n, payload, o);
    };
    for (const id of ['1', '2', '3', '4', '5']) await put(id, { n: { N: id } });
    await mapping({ BatchSize: 2 });
    expect(batches).toEqual([['1', '2'], ['3', '4'], ['5']]);
    const first = (events[0] as { Records: Array<Record<string, any>> }).Records[0]!;
    expect(first).toMatchObject({ eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: region, eventSourceARN: streamArn });
    expect(first.dynamodb).toMatchObject({ Keys: { id: { S: '1' } }, NewImage: { id: { S: '1' }, n: { N: '1' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(typeof first.dynamodb.ApproximateCreationDateTime).toBe('number');
    expect(first.dynamodb.SequenceNumber).toMatch(/^\d{21}$/);
  });

  it('waits up to MaximumBatchingWindowInSeconds for a full batch', async () => {
    await mapping({ BatchSize: 10, MaximumBatchingWindowInSeconds: 10 });
    await put('a');
    await put('b');
    await step(9500);
    expect(batches).toEqual([]);
    await step(750);
    expect(batches).toEqual([['a', 'b']]);
    for (let i = 0; i < 10; i++) await put(`f${i}`);
    await step(500); // a full batch goes at once
    expect(batches[1]).toHaveLength(10);
  });

  it('retries a failing batch MaximumRetryAttempts times, then gives it up and moves on', async () => {
    const uuid = await mapping({ MaximumRetryAttempts: 2 });
    await put('bad', { poison: { BOOL: true } });
    await step(500);
    expect(batches).toEqual([['bad']]);
    await put('good');
    await step(1000); // first retry after 1 s: still the failing batch (records after it wait)
    expect(batches).toEqual([['bad'], ['bad']]);
    await step(2000); // second retry after 2 s more
    expect(batches.slice(2)).toEqual([['bad'], ['good']]);
    const m = domain.eventSourceMappings!.mapping(uuid);
    expect(m.discarded.map((d) => d.reason)).toEqual(['RetryAttemptsExhausted']);
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).LastProcessingResult).toBe('OK');
  });

  it('bisects a failing batch down to the poison record without spending retries', async () => {
    await put('1');
    await put('2');
    await put('3', { poison: { BOOL: true } });
    await put('4');
    await mapping({ MaximumRetryAttempts: 0, BisectBatchOnFunctionError: true });
    expect(batches).toEqual([['1', '2', '3', '4'], ['1', '2'], ['3', '4'], ['3'], ['4']]);
  });

  it('checkpoints at the lowest reported batch item failure with ReportBatchItemFailures', async () => {
    await put('1');
    await put('2', { bad: { BOOL: true } });
    await put('3');
    const uuid = await mapping({ FunctionName: 'partial', MaximumRetryAttempts: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(batches).toEqual([['1', '2', '3']]);
    await step(1000);
    expect(batches).toEqual([['1', '2', '3'], ['2', '3']]);
    const m = domain.eventSourceMappings!.mapping(uuid);
    expect(m.discarded).toHaveLength(1); // retries exhausted: the rest of the batch is given up
    await put('4');
    await step(500);
    expect(batches[2]).toEqual(['4']);
  });

  it('ignores partial responses unless ReportBatchItemFailures is on, and fails the batch on an empty itemIdentifier', async () => {
    await put('1', { bad: { BOOL: true } });
    await mapping({ FunctionName: 'partial' });
    await mapping({ FunctionName: 'badIdentifier', MaximumRetryAttempts: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    await step(1000);
    expect(batches).toEqual([['1'], ['1'], ['1']]);
  });
});

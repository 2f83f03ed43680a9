import { DynamoDBClient, GetItemCommand, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createDynamoDbService } from '../../../src/local-cloud/dynamodb/index.js';
import { createLambdaService } from '../../../src/local-cloud/lambda/index.js';
import { awsInput, awsInteger, awsString, validateInput } from '../../../src/local-cloud/protocols/validation.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
let dynamodb: DynamoDBClient;
let lambda: LambdaClient;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createDynamoDbService, createLambdaService] });
  dynamodb = new DynamoDBClient({ endpoint: cloud.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
  lambda = new LambdaClient({ endpoint: cloud.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
});

afterAll(async () => {
  dynamodb.destroy();
  lambda.destroy();
  await cloud.close();
});

const refusal = (p: Promise<unknown>) => p.then(() => ({ name: 'no error', message: '' }), (e: Error) => ({ name: e.name, message: e.message }));

describe('validateInput', () => {
  const schema = awsInput({ TableName: awsString({ pattern: [/^[a-z]+$/, '[a-z]+'], min: 3 }), Limit: awsInteger({ min: 1, max: 100 }).optional() });

  it('lists every broken constraint in AWS words, members camelCase, absent values as null', () => {
    expect(() => validateInput(schema, { TableName: 'A', Limit: 101 })).toThrow(
      "3 validation errors detected: Value 'A' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+; " +
        "Value 'A' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    expect(() => validateInput(schema, {})).toThrow("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
  });

  it('passes members it does not name through untouched', () => {
    expect(validateInput(schema, { TableName: 'abc', Other: { x: 1 } })).toEqual({ TableName: 'abc', Other: { x: 1 } });
  });
});

describe('validation at the wire, before the domain runs', () => {
  it('DynamoDB: ListTables Limit, Scan segments, GetItem without Key', async () => {
    expect(await refusal(dynamodb.send(new ListTablesCommand({ Limit: 0 })))).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    expect(await refusal(dynamodb.send(new ScanCommand({ TableName: 'nope', Segment: -1, TotalSegments: 0 })))).toEqual({
      name: 'ValidationException',
      message:
        "2 validation errors detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0; " +
        "Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    // The table does not exist either: the constraint is reported first, as DynamoDB does.
    expect(await refusal(dynamodb.send(new GetItemCommand({ TableName: 'nope' } as never)))).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null",
    });
  });

  it('Lambda: CreateFunction limits and Invoke type', async () => {
    const refused = await refusal(lambda.send(new CreateFunctionCommand({ FunctionName: 'f', Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler', Code: { ZipFile: new Uint8Array([1]) }, Timeout: 901, MemorySize: 64 })));
    expect(refused).toEqual({
      name: 'ValidationException',
      message:
        "2 validation errors detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900; " +
        "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
    });
    expect(await refusal(lambda.send(new InvokeCommand({ FunctionName: 'f', InvocationType: 'Later' as never })))).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'Later' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, ListTablesCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, GetFunctionCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { S3Client, ListObjectsV2Command, HeadBucketCommand } from '@aws-sdk/client-s3';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { AwsError } from '../../../src/local-cloud/aws-error.js';
import { queryProtocol } from '../../../src/local-cloud/protocols/query.js';
import { jsonProtocol } from '../../../src/local-cloud/protocols/json.js';
import { restJsonProtocol, restXmlProtocol } from '../../../src/local-cloud/protocols/rest.js';
import type { ServiceFactory } from '../../../src/local-cloud/types.js';

// Fake services exercising each codec through the real SDK v3 clients: if the SDK parses these
// responses and errors, the wire shapes are right.
const seen: Record<string, unknown> = {};
const fakes: ServiceFactory[] = [
  () => ({
    names: ['sts'],
    handle: queryProtocol({
      service: 'sts',
      xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
      ops: { GetCallerIdentity: async (_i, req) => ({ Account: '000000000000', Arn: `arn:aws:iam::000000000000:user/${req.region}`, UserId: 'X' }) },
    }),
  }),
  () => ({
    names: ['cloudformation'],
    handle: queryProtocol({
      service: 'cloudformation',
      xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
      ops: {
        DescribeStacks: async (input) => {
          seen.describeStacks = input;
          if (input.StackName === 'missing') throw new AwsError('ValidationError', 'Stack with id missing does not exist');
          return { Stacks: [{ StackName: input.StackName, StackStatus: 'CREATE_COMPLETE', CreationTime: '2026-01-01T00:00:00.000Z', Outputs: [{ OutputKey: 'A', OutputValue: 'b' }] }] };
        },
      },
    }),
  }),
  () => ({
    names: ['dynamodb'],
    handle: jsonProtocol({
      service: 'dynamodb',
      targetPrefix: 'DynamoDB_20120810',
      version: '1.0',
      ops: {
        ListTables: async () => ({ TableNames: ['a', 'b'] }),
        DescribeTable: async () => {
          throw new AwsError('ResourceNotFoundException', 'Requested resource not found');
        },
      },
    }),
  }),
  () => ({
    names: ['lambda'],
    handle: restJsonProtocol({
      service: 'lambda',
      routes: [
        { method: 'GET', path: '/2015-03-31/functions/', op: 'ListFunctions', handler: async () => ({ json: { Functions: [{ FunctionName: 'f' }] } }) },
        {
          method: 'GET',
          path: '/2015-03-31/functions/{FunctionName}',
          op: 'GetFunction',
          handler: async (call) => {
            throw new AwsError('ResourceNotFoundException', `Function not found: ${call.params.FunctionName}`, 404, true, { Type: 'User' });
          },
        },
      ],
    }),
  }),
  () => ({
    names: ['s3'],
    handle: restXmlProtocol({
      service: 's3',
      errors: 's3',
      routes: [
        {
          method: 'GET',
          path: '/{Bucket}',
          op: 'ListObjectsV2',
          when: (q) => q.get('list-type') === '2',
          handler: async (call) => ({
            xml: {
              root: 'ListBucketResult',
              xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
              value: { Name: call.params.Bucket, KeyCount: 2, IsTruncated: false, Contents: [{ Key: 'a', Size: 1 }, { Key: 'b/c', Size: 2 }] },
            },
          }),
        },
        {
          method: 'HEAD',
          path: '/{Bucket}',
          op: 'HeadBucket',
          handler: async () => {
            throw new AwsError('NotFound', 'Not Found', 404);
          },
        },
      ],
    }),
  }),
];

let cloud: LocalCloud;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: fakes });
});
afterAll(async () => cloud.close());

describe('front door + protocol codecs with the real SDK', () => {
  it('awsQuery: routes by the credential scope region and parses results', async () => {
    const sts = new STSClient({ region: 'eu-west-1', endpoint: cloud.url, credentials });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe('arn:aws:iam::000000000000:user/eu-west-1');
  });

  it('awsQuery: lists and nested structures survive both directions', async () => {
    const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: cloud.url, credentials });
    const out = await cfn.send(new DescribeStacksCommand({ StackName: 's1' }));
    expect(out.Stacks?.[0].Outputs).toEqual([{ OutputKey: 'A', OutputValue: 'b' }]);
    expect(out.Stacks?.[0].CreationTime).toBeInstanceOf(Date);
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'missing' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id missing does not exist',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('awsJson1_0: results and __type errors', async () => {
    const ddb = new DynamoDBClient({ region: 'us-west-2', endpoint: cloud.url, credentials });
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual(['a', 'b']);
    await expect(ddb.send(new DescribeTableCommand({ TableName: 'x' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('restJson1: routes with path parameters and typed errors', async () => {
    const lambda = new LambdaClient({ region: 'us-west-2', endpoint: cloud.url, credentials });
    expect((await lambda.send(new ListFunctionsCommand({}))).Functions?.[0].FunctionName).toBe('f');
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: nope',
    });
  });

  it('restXml: flattened lists and HEAD errors without a body', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: cloud.url, credentials, forcePathStyle: true });
    const list = await s3.send(new ListObjectsV2Command({ Bucket: 'bkt' }));
    expect(list.Contents?.map((c) => c.Key)).toEqual(['a', 'b/c']);
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'nope' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('answers unsigned requests with a clear 403 and unknown services with NotImplemented', async () => {
    const res = await fetch(`${cloud.url}/whatever`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('SigV4');
  });

  it('health endpoint identifies the local cloud', async () => {
    const res = await fetch(`${cloud.url}/_localcloud/health`);
    expect(await res.json()).toMatchObject({ ok: true, service: 'regionctl-local-cloud' });
  });
});

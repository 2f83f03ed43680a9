import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { zipSync, strToU8 } from 'fflate';
import { createHash } from 'node:crypto';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

// UPDATE_ROLLBACK_FAILED the way AWS produces it: the rollback restores a function to code whose
// S3 object was deleted meanwhile. ContinueUpdateRollback retries (or skips) and completes.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'us-east-1';
const zip = (text: string) => Buffer.from(zipSync({ 'index.js': strToU8(`exports.handler = async () => ${JSON.stringify(text)};`) }));
const codeA = zip('a');
const codeB = zip('b');

const template = (key: string, broken: boolean) =>
  JSON.stringify({
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: 'rollback-fn', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { S3Bucket: 'code', S3Key: key } },
      },
      ...(broken
        ? {
            Broken: {
              Type: 'AWS::Lambda::Function',
              DependsOn: 'Fn',
              Properties: { FunctionName: 'rollback-broken', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { S3Bucket: 'code', S3Key: 'missing.zip' } },
            },
          }
        : {}),
    },
  });

let cloud: LocalCloud;
let cfn: CloudFormationClient;
let s3: S3Client;
let lambda: LambdaClient;
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  cfn = new CloudFormationClient({ region, endpoint: cloud.url, credentials });
  s3 = new S3Client({ region, endpoint: cloud.url, credentials, forcePathStyle: true });
  lambda = new LambdaClient({ region, endpoint: cloud.url, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: 'code' }));
});
afterAll(async () => cloud.close());

const idle = () => cloud.service('cloudformation').idle();
const status = async (name: string) => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0].StackStatus;
const codeSha = async () => (await lambda.send(new GetFunctionCommand({ FunctionName: 'rollback-fn' }))).Configuration!.CodeSha256;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');

async function failedRollback(name: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'a.zip', Body: codeA }));
  await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'b.zip', Body: codeB }));
  await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: template('a.zip', false), Capabilities: ['CAPABILITY_IAM'] }));
  await idle();
  expect(await status(name)).toBe('CREATE_COMPLETE');
  await s3.send(new DeleteObjectCommand({ Bucket: 'code', Key: 'a.zip' }));
  await cfn.send(new UpdateStackCommand({ StackName: name, TemplateBody: template('b.zip', true), Capabilities: ['CAPABILITY_IAM'] }));
  await idle();
}

describe('update rollback failure and ContinueUpdateRollback', () => {
  it('ends UPDATE_ROLLBACK_FAILED when a restore fails, and continues once the cause is fixed', async () => {
    await failedRollback('rb');
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'rb' }))).Stacks![0];
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
    expect(stack.StackStatusReason).toContain('[Fn]');
    const fn = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'rb', LogicalResourceId: 'Fn' }))).StackResources![0];
    expect(fn.ResourceStatus).toBe('UPDATE_FAILED');
    expect(fn.ResourceStatusReason).toMatch(/GetObject.*NoSuchKey/);
    await expect(cfn.send(new UpdateStackCommand({ StackName: 'rb', TemplateBody: template('b.zip', false), Capabilities: ['CAPABILITY_IAM'] }))).rejects.toThrow(
      /is in UPDATE_ROLLBACK_FAILED state and can not be updated/,
    );

    // Still broken: the retry fails the same way.
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'rb' }));
    await idle();
    expect(await status('rb')).toBe('UPDATE_ROLLBACK_FAILED');

    await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'a.zip', Body: codeA }));
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'rb' }));
    await idle();
    expect(await status('rb')).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(await codeSha()).toBe(sha(codeA));
    // Updatable again.
    await cfn.send(new UpdateStackCommand({ StackName: 'rb', TemplateBody: template('b.zip', false), Capabilities: ['CAPABILITY_IAM'] }));
    await idle();
    expect(await status('rb')).toBe('UPDATE_COMPLETE');
  });

  it('refuses ContinueUpdateRollback outside UPDATE_ROLLBACK_FAILED, and skips only failed resources', async () => {
    await expect(cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'rb' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'ContinueUpdateRollback cannot be called from current stack status',
    });
    await cfn.send(new UpdateStackCommand({ StackName: 'rb', TemplateBody: template('a.zip', false), Capabilities: ['CAPABILITY_IAM'] }));
    await idle();
    await s3.send(new DeleteObjectCommand({ Bucket: 'code', Key: 'a.zip' }));
    await cfn.send(new UpdateStackCommand({ StackName: 'rb', TemplateBody: template('b.zip', true), Capabilities: ['CAPABILITY_IAM'] }));
    await idle();
    expect(await status('rb')).toBe('UPDATE_ROLLBACK_FAILED');
    await expect(cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'rb', ResourcesToSkip: ['Role'] }))).rejects.toThrow(/Resource \[Role\] is not in a failed state/);
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'rb', ResourcesToSkip: ['Fn'] }));
    await idle();
    expect(await status('rb')).toBe('UPDATE_ROLLBACK_COMPLETE');
    // Skipped: the function keeps the new code, out of step with the template, as AWS warns.
    expect(await codeSha()).toBe(sha(codeB));
  });
});

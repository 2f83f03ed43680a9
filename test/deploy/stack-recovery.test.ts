import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListChangeSetsCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { zipSync, strToU8 } from 'fflate';
import { deployStack } from '../../src/deploy/stack.js';
import { withTemplateHash } from '../../src/deploy/template-hash.js';
import { createMemoryIo, type MemoryIo } from '../../src/io/index.js';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { wallClock } from '../../src/wait.js';

// A stack left behind by a killed or failed run never wedges deploy: each state AWS can leave is
// recovered the way AWS allows, and the user is told what was done (issue 7, defect 1).
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'us-east-1';
let cloud: LocalCloud;
let cfn: CloudFormationClient;
let s3: S3Client;
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  cfn = new CloudFormationClient({ region, endpoint: cloud.url, credentials });
  s3 = new S3Client({ region, endpoint: cloud.url, credentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'code' }));
});
afterAll(async () => cloud.close());

const idle = () => cloud.service('cloudformation').idle();
const status = async (name: string) => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0].StackStatus;
const logGroup = (name: string, retention: number) =>
  JSON.stringify(withTemplateHash({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/regionctl/${name}`, RetentionInDays: retention } } } }));
const bucket = (name: string) => JSON.stringify(withTemplateHash({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: name } } } }));

// A short deadline: on a wedged stack the old code waited for it to "settle" until the deadline.
const run = (stackName: string, templateBody: string, io: MemoryIo = createMemoryIo()) =>
  deployStack({ cfn, region, stackName, templateBody, parameters: {}, io, clock: wallClock, poll: 5, deadline: 4000 });
const warnings = (io: MemoryIo) => io.events.flatMap((e) => (e.kind === 'warn' ? [e.message] : []));

describe('deployStack recovers stacks left behind', () => {
  it('REVIEW_IN_PROGRESS (a CREATE change set never executed): deletes it and creates', async () => {
    await cfn.send(new CreateChangeSetCommand({ StackName: 'review', ChangeSetName: 'regionctl-1', ChangeSetType: 'CREATE', TemplateBody: logGroup('review', 7) }));
    expect(await status('review')).toBe('REVIEW_IN_PROGRESS');
    const io = createMemoryIo();
    expect((await run('review', logGroup('review', 7), io)).type).toBe('created');
    expect(await status('review')).toBe('CREATE_COMPLETE');
    expect(warnings(io).join('\n')).toMatch(/review is REVIEW_IN_PROGRESS .*never executed.*deleting it/);
  });

  it('CREATE_FAILED and ROLLBACK_COMPLETE: deletes and creates', async () => {
    for (const [name, disableRollback, expected] of [['failed', true, 'CREATE_FAILED'], ['rolledback', false, 'ROLLBACK_COMPLETE']] as const) {
      await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: logGroup(name, 2), DisableRollback: disableRollback }));
      await idle();
      expect(await status(name)).toBe(expected);
      const io = createMemoryIo();
      expect((await run(name, logGroup(name, 7), io)).type).toBe('created');
      expect(await status(name)).toBe('CREATE_COMPLETE');
      expect(warnings(io).join('\n')).toContain(`${name} is ${expected}`);
    }
  });

  it('DELETE_FAILED: retries the delete, refusing clearly while it still fails, then creates', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'undeletable', TemplateBody: bucket('undeletable-bucket') }));
    await idle();
    await s3.send(new PutObjectCommand({ Bucket: 'undeletable-bucket', Key: 'left', Body: 'x' }));
    await cfn.send(new DeleteStackCommand({ StackName: 'undeletable' }));
    await idle();
    expect(await status('undeletable')).toBe('DELETE_FAILED');

    const error = await run('undeletable', bucket('undeletable-bucket')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'StackDeployFailed', message: expect.stringMatching(/undeletable is DELETE_FAILED and could not be deleted.*Bucket: .*not empty/) });
    expect((error as { hint?: string }).hint).toMatch(/empty a bucket/);

    await s3.send(new DeleteObjectCommand({ Bucket: 'undeletable-bucket', Key: 'left' }));
    const io = createMemoryIo();
    expect((await run('undeletable', bucket('undeletable-bucket'), io)).type).toBe('created');
    expect(await status('undeletable')).toBe('CREATE_COMPLETE');
    expect(warnings(io).join('\n')).toContain('undeletable is DELETE_FAILED');
  });

  it('UPDATE_ROLLBACK_FAILED: continues the rollback, then updates', async () => {
    const zip = (text: string) => Buffer.from(zipSync({ 'index.js': strToU8(`exports.handler = async () => ${JSON.stringify(text)};`) }));
    const fn = (name: string, key: string) => ({
      Type: 'AWS::Lambda::Function',
      Properties: { FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { S3Bucket: 'code', S3Key: key } },
    });
    const template = (key: string, broken: boolean) =>
      JSON.stringify(
        withTemplateHash({
          Resources: {
            Role: {
              Type: 'AWS::IAM::Role',
              Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
            },
            Fn: fn('recover-fn', key),
            ...(broken ? { Broken: { ...fn('recover-broken', 'missing.zip'), DependsOn: 'Fn' } } : {}),
          },
        }),
      );
    await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'a.zip', Body: zip('a') }));
    await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'b.zip', Body: zip('b') }));
    await cfn.send(new CreateStackCommand({ StackName: 'stuck', TemplateBody: template('a.zip', false), Capabilities: ['CAPABILITY_IAM'] }));
    await idle();
    await s3.send(new DeleteObjectCommand({ Bucket: 'code', Key: 'a.zip' }));
    await cfn.send(new UpdateStackCommand({ StackName: 'stuck', TemplateBody: template('b.zip', true), Capabilities: ['CAPABILITY_IAM'] }));
    await idle();
    expect(await status('stuck')).toBe('UPDATE_ROLLBACK_FAILED');

    // The cause persists: said clearly, with the command that skips the resource.
    const error = await deployStack({ cfn, region, stackName: 'stuck', templateBody: template('b.zip', false), parameters: {}, io: createMemoryIo(), clock: wallClock, poll: 5, deadline: 4000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'StackDeployFailed', message: expect.stringMatching(/could not finish rolling back.*Fn: .*NoSuchKey/) });
    expect((error as { hint?: string }).hint).toContain('continue-update-rollback');

    await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'a.zip', Body: zip('a') }));
    const io = createMemoryIo();
    const outcome = await deployStack({ cfn, region, stackName: 'stuck', templateBody: template('b.zip', false), parameters: {}, io, clock: wallClock, poll: 5, deadline: 4000 });
    expect(outcome.type).toBe('updated');
    expect(await status('stuck')).toBe('UPDATE_COMPLETE');
    expect(warnings(io).join('\n')).toMatch(/UPDATE_ROLLBACK_FAILED.*ContinueUpdateRollback/);
  });

  it('deletes a stale change set of ours before creating a new one', async () => {
    await run('stale', logGroup('stale', 7));
    await cfn.send(new CreateChangeSetCommand({ StackName: 'stale', ChangeSetName: 'regionctl-123', ChangeSetType: 'UPDATE', TemplateBody: logGroup('stale', 14) }));
    await cfn.send(new CreateChangeSetCommand({ StackName: 'stale', ChangeSetName: 'someone-elses', ChangeSetType: 'UPDATE', TemplateBody: logGroup('stale', 30) }));
    const io = createMemoryIo();
    expect((await run('stale', logGroup('stale', 14), io)).type).toBe('updated');
    expect(warnings(io)).toEqual(['stale: deleting change set regionctl-123 that an interrupted deploy left unexecuted']);
    const left = (await cfn.send(new ListChangeSetsCommand({ StackName: 'stale' }))).Summaries ?? [];
    expect(left.map((c) => c.ChangeSetName)).not.toContain('regionctl-123');
  });
});

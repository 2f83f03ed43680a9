import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { skipTestWithoutTool, skipWithoutTool } from '../support/require-tool.js';
import { addNewerModel, awsCli, awsCliMissing, type CliResult } from './aws-cli.js';

// Every operation regionctl sends (grep `Command(` in src/), driven through AWS CLI v2 (botocore),
// a client nobody on this project wrote: if it parses the local cloud's answers and error codes the
// way it parses AWS's, the wire shapes are right. Grouped per protocol; calls run concurrently where
// they are independent because each CLI start costs ~0.5 s.
const missing = awsCliMissing();
const skip = skipWithoutTool('AWS CLI v2', missing);

const TEMPLATE = {
  Parameters: { Suffix: { Type: 'String', Default: 'a' } },
  Resources: {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      },
    },
  },
  Outputs: { TableName: { Value: { Ref: 'Table' } }, Suffix: { Value: { Ref: 'Suffix' } } },
};

function failed(r: CliResult): { exitCode: number; code?: string; operation?: string } {
  return { exitCode: r.exitCode, code: r.error?.code, operation: r.error?.operation };
}

// The tests touch disjoint resources (names, regions), so they run concurrently: each CLI start is
// ~0.5 s of CPU, and a sequential suite spent most of its wall time waiting on one process at a time.
describe.skipIf(skip)('AWS CLI v2 against the local cloud', { concurrent: true, timeout: 300_000 }, () => {
  let cloud: LocalCloud;
  let home: string;
  let aws: ReturnType<typeof awsCli>;

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
    home = mkdtempSync(join(tmpdir(), 'regionctl-awscli-'));
    writeFileSync(join(home, 'template.json'), JSON.stringify(TEMPLATE));
    writeFileSync(join(home, 'fn.zip'), zipSync({ 'index.js': strToU8('exports.handler = async (e) => ({ got: e, flag: process.env.FLAG ?? null });\n') }));
    aws = awsCli(cloud.url, home);
  });
  afterAll(async () => {
    await cloud?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  // Polls through the CLI itself (each call takes real time), bounded so a stuck status fails fast.
  async function until(args: string[], done: (r: CliResult) => boolean, attempts = 20): Promise<CliResult> {
    let last: CliResult | undefined;
    for (let i = 0; i < attempts; i++) {
      last = await aws(args);
      if (done(last)) return last;
    }
    throw new Error(`still not done after ${attempts} calls: aws ${args.join(' ')} → ${JSON.stringify(last?.json ?? last?.stderr)}`);
  }

  it('STS (awsQuery): GetCallerIdentity in any region; unknown actions are InvalidAction', async () => {
    const [east, west, unknown] = await Promise.all([
      aws(['sts', 'get-caller-identity']),
      aws(['sts', 'get-caller-identity'], 'eu-west-1'),
      aws(['sts', 'get-session-token']),
    ]);
    expect(east.exitCode).toBe(0);
    expect(east.json).toEqual({ UserId: expect.any(String), Account: '000000000000', Arn: expect.stringMatching(/^arn:aws:iam::000000000000:/) });
    expect(west.json.Account).toBe('000000000000');
    expect(failed(unknown)).toEqual({ exitCode: 254, code: 'InvalidAction', operation: 'GetSessionToken' });
  });

  it('IAM (awsQuery, global): GetRole returns the decoded trust policy; a missing role is NoSuchEntity', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const created = await aws(['iam', 'create-role', '--role-name', 'conformance-role', '--assume-role-policy-document', JSON.stringify(trust)]);
    expect(created.json.Role.Arn).toBe('arn:aws:iam::000000000000:role/conformance-role');
    const [role, none, unknown, badName] = await Promise.all([
      aws(['iam', 'get-role', '--role-name', 'conformance-role']),
      aws(['iam', 'get-role', '--role-name', 'no-such-role']),
      aws(['iam', 'list-users']),
      // botocore checks ranges and lengths itself (exit 252), patterns are the service's: a bad name reaches it.
      aws(['iam', 'create-role', '--role-name', 'bad role', '--assume-role-policy-document', JSON.stringify(trust)]),
    ]);
    // Per-operation validation at the wire: IAM's ValidationError and wording.
    expect(failed(badName)).toEqual({ exitCode: 254, code: 'ValidationError', operation: 'CreateRole' });
    expect(badName.error?.message).toBe("1 validation error detected: Value 'bad role' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    expect(role.json.Role).toMatchObject({ RoleName: 'conformance-role', Path: '/', AssumeRolePolicyDocument: trust, RoleId: expect.stringMatching(/^AROA/) });
    expect(Date.parse(role.json.Role.CreateDate)).not.toBeNaN();
    expect(failed(none)).toEqual({ exitCode: 254, code: 'NoSuchEntity', operation: 'GetRole' });
    expect(none.error?.message).toBe('The role with name no-such-role cannot be found.');
    expect(failed(unknown)).toMatchObject({ code: 'InvalidAction' });
  });

  it('CloudFormation (awsQuery): the change-set lifecycle regionctl drives, events, templates and errors', async () => {
    const body = `file://${join(home, 'template.json')}`;
    const created = await aws(['cloudformation', 'create-change-set', '--stack-name', 'conf-stack', '--change-set-name', 'regionctl-1',
      '--change-set-type', 'CREATE', '--template-body', body, '--parameters', 'ParameterKey=Suffix,ParameterValue=b',
      '--capabilities', 'CAPABILITY_IAM', '--tags', 'Key=regionctl:stage,Value=test']);
    expect(created.exitCode).toBe(0);
    expect(created.json).toEqual({
      Id: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:000000000000:changeSet\/regionctl-1\//),
      StackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:000000000000:stack\/conf-stack\//),
    });
    const { Id: changeSetId, StackId: stackId } = created.json;
    const cs = await until(['cloudformation', 'describe-change-set', '--change-set-name', changeSetId, '--stack-name', stackId], (r) => r.json?.Status !== 'CREATE_PENDING' && r.json?.Status !== 'CREATE_IN_PROGRESS');
    expect(cs.json).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', ChangeSetName: 'regionctl-1', StackName: 'conf-stack' });
    expect(cs.json.Changes).toEqual([{ Type: 'Resource', ResourceChange: expect.objectContaining({ Action: 'Add', LogicalResourceId: 'Table', ResourceType: 'AWS::DynamoDB::Table' }) }]);

    const executed = await aws(['cloudformation', 'execute-change-set', '--change-set-name', changeSetId, '--stack-name', stackId]);
    expect({ exitCode: executed.exitCode, stderr: executed.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const stack = await until(['cloudformation', 'describe-stacks', '--stack-name', stackId], (r) => /_COMPLETE$|FAILED$/.test(r.json?.Stacks?.[0]?.StackStatus ?? ''));
    expect(stack.json.Stacks[0]).toMatchObject({
      StackName: 'conf-stack',
      StackId: stackId,
      StackStatus: 'CREATE_COMPLETE',
      Parameters: [{ ParameterKey: 'Suffix', ParameterValue: 'b' }],
      Tags: [{ Key: 'regionctl:stage', Value: 'test' }],
    });
    expect(Object.fromEntries(stack.json.Stacks[0].Outputs.map((o: any) => [o.OutputKey, o.OutputValue]))).toEqual({ TableName: expect.stringMatching(/^conf-stack-Table-/), Suffix: 'b' });

    const [events, template, unchanged, missingStack, missingEvents, missingTemplate, badParameter, badName, unknown, badType, limits] = await Promise.all([
      aws(['cloudformation', 'describe-stack-events', '--stack-name', stackId]),
      aws(['cloudformation', 'get-template', '--stack-name', stackId, '--template-stage', 'Original']),
      aws(['cloudformation', 'create-change-set', '--stack-name', 'conf-stack', '--change-set-name', 'regionctl-2', '--change-set-type', 'UPDATE',
        '--template-body', body, '--parameters', 'ParameterKey=Suffix,ParameterValue=b', '--tags', 'Key=regionctl:stage,Value=test']),
      aws(['cloudformation', 'describe-stacks', '--stack-name', 'no-such-stack']),
      aws(['cloudformation', 'describe-stack-events', '--stack-name', 'no-such-stack']),
      aws(['cloudformation', 'get-template', '--stack-name', 'no-such-stack']),
      aws(['cloudformation', 'create-change-set', '--stack-name', 'conf-other', '--change-set-name', 'x', '--change-set-type', 'CREATE',
        '--template-body', body, '--parameters', 'ParameterKey=Nope,ParameterValue=x']),
      aws(['cloudformation', 'create-change-set', '--stack-name', 'conf-other', '--change-set-name', '9-bad', '--change-set-type', 'CREATE', '--template-body', body]),
      aws(['cloudformation', 'list-stack-sets']),
      aws(['cloudformation', 'create-change-set', '--stack-name', 'conf-other', '--change-set-name', 'y', '--change-set-type', 'CREATE',
        '--template-body', JSON.stringify({ Resources: { X: { Type: 'AWS::Nope::Thing' } } })]),
      aws(['cloudformation', 'describe-account-limits']),
    ]);
    // doctor's stack quota reads StackLimit from here.
    expect(limits.json).toEqual({ AccountLimits: [{ Name: 'StackLimit', Value: 2000 }, { Name: 'StackOutputsLimit', Value: 200 }] });
    // Newest first, the stack's own events carry its ARN as physical id (regionctl's StackWatch relies on both).
    const trail = events.json.StackEvents.map((e: any) => [e.LogicalResourceId, e.ResourceStatus]);
    expect(trail[0]).toEqual(['conf-stack', 'CREATE_COMPLETE']);
    expect(trail.at(-1)).toEqual(['conf-stack', 'REVIEW_IN_PROGRESS']);
    expect(trail).toContainEqual(['Table', 'CREATE_COMPLETE']);
    const stackEvent = events.json.StackEvents[0];
    expect(stackEvent).toMatchObject({ StackId: stackId, PhysicalResourceId: stackId, ResourceType: 'AWS::CloudFormation::Stack', EventId: expect.any(String) });
    expect(Date.parse(stackEvent.Timestamp)).not.toBeNaN();
    expect(new Set(events.json.StackEvents.map((e: any) => e.EventId)).size).toBe(trail.length);
    // botocore decodes a JSON TemplateBody into a document; the text must round-trip.
    const templateBody = typeof template.json.TemplateBody === 'string' ? JSON.parse(template.json.TemplateBody) : template.json.TemplateBody;
    expect(templateBody).toEqual(TEMPLATE);
    expect(template.json.StagesAvailable).toEqual(['Original', 'Processed']);

    const noop = await until(['cloudformation', 'describe-change-set', '--change-set-name', 'regionctl-2', '--stack-name', 'conf-stack'], (r) => r.json?.Status === 'FAILED' || r.json?.Status === 'CREATE_COMPLETE');
    expect(noop.json).toMatchObject({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." });
    expect(unchanged.exitCode).toBe(0);
    const deleted = await aws(['cloudformation', 'delete-change-set', '--change-set-name', 'regionctl-2', '--stack-name', 'conf-stack']);
    expect({ exitCode: deleted.exitCode, stderr: deleted.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const gone = await aws(['cloudformation', 'describe-change-set', '--change-set-name', 'regionctl-2', '--stack-name', 'conf-stack']);
    // AWS's wire code is ChangeSetNotFound (the model's awsQueryError code), which the CLI prints as sent.
    expect(failed(gone)).toEqual({ exitCode: 254, code: 'ChangeSetNotFound', operation: 'DescribeChangeSet' });
    expect(gone.error?.message).toBe('ChangeSet [regionctl-2] does not exist');

    for (const [r, op] of [[missingStack, 'DescribeStacks'], [missingEvents, 'DescribeStackEvents'], [missingTemplate, 'GetTemplate']] as const) {
      expect(failed(r)).toEqual({ exitCode: 254, code: 'ValidationError', operation: op });
      expect(r.error?.message).toBe('Stack with id no-such-stack does not exist');
    }
    expect(failed(badParameter)).toMatchObject({ code: 'ValidationError' });
    expect(badParameter.error?.message).toBe('Parameters: [Nope] do not exist in the template');
    expect(failed(badName)).toMatchObject({ code: 'ValidationError' });
    expect(badName.error?.message).toBe("1 validation error detected: Value '9-bad' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
    expect(failed(unknown)).toMatchObject({ exitCode: 254, code: 'InvalidAction', operation: 'ListStackSets' });
    // AWS: "Template format error: Unrecognized resource types: [AWS::Nope::Thing]" at CreateChangeSet.
    expect(failed(badType)).toMatchObject({ exitCode: 254, code: 'ValidationError', operation: 'CreateChangeSet' });
    expect(badType.error?.message).toMatch(/^Template format error: Unrecognized resource types: \[AWS::Nope::Thing\]/);

    const deleting = await aws(['cloudformation', 'delete-stack', '--stack-name', stackId]);
    expect(deleting.exitCode).toBe(0);
    const byId = await until(['cloudformation', 'describe-stacks', '--stack-name', stackId], (r) => r.json?.Stacks?.[0]?.StackStatus === 'DELETE_COMPLETE');
    expect(byId.json.Stacks[0].StackStatus).toBe('DELETE_COMPLETE');
    const [byName, listed] = await Promise.all([aws(['cloudformation', 'describe-stacks', '--stack-name', 'conf-stack']), aws(['cloudformation', 'list-stacks'])]);
    expect(failed(byName)).toMatchObject({ code: 'ValidationError' });
    expect(listed.json.StackSummaries.map((s: any) => [s.StackName, s.StackStatus])).toContainEqual(['conf-stack', 'DELETE_COMPLETE']);
  });

  it('S3 (restXml): buckets per region, HeadObject/PutObject, versions, DeleteObjects and errors', async () => {
    const [east, west, invalid] = await Promise.all([
      aws(['s3api', 'create-bucket', '--bucket', 'conformance-east']),
      aws(['s3api', 'create-bucket', '--bucket', 'conformance-west', '--create-bucket-configuration', 'LocationConstraint=eu-west-1'], 'eu-west-1'),
      aws(['s3api', 'create-bucket', '--bucket', 'Not_A_Bucket']),
    ]);
    expect(east.json).toEqual({ Location: '/conformance-east' });
    expect(west.exitCode).toBe(0);
    expect(failed(invalid)).toMatchObject({ code: 'InvalidBucketName' });
    const key = 'lambdas/check-0123456789ab.zip';
    const put = await aws(['s3api', 'put-object', '--bucket', 'conformance-east', '--key', key, '--body', join(home, 'fn.zip'),
      '--content-type', 'application/zip', '--server-side-encryption', 'AES256']);
    expect(put.json).toEqual({ ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/), ServerSideEncryption: 'AES256' });
    const [head, headMissingKey, headMissingBucket, getMissing, putMissingBucket, location, buckets, versions, unknown] = await Promise.all([
      aws(['s3api', 'head-object', '--bucket', 'conformance-east', '--key', key]),
      aws(['s3api', 'head-object', '--bucket', 'conformance-east', '--key', 'nope']),
      aws(['s3api', 'head-object', '--bucket', 'conformance-none', '--key', 'nope']),
      aws(['s3api', 'get-object', '--bucket', 'conformance-east', '--key', 'nope', join(home, 'out.bin')]),
      aws(['s3api', 'put-object', '--bucket', 'conformance-none', '--key', 'k', '--body', join(home, 'fn.zip')]),
      aws(['s3api', 'get-bucket-location', '--bucket', 'conformance-west'], 'eu-west-1'),
      aws(['s3api', 'list-buckets']),
      aws(['s3api', 'list-object-versions', '--bucket', 'conformance-east', '--max-keys', '1000']),
      aws(['s3api', 'list-bucket-inventory-configurations', '--bucket', 'conformance-east']),
    ]);
    expect(head.json).toMatchObject({ ContentLength: readFileSync(join(home, 'fn.zip')).length, ContentType: 'application/zip', ServerSideEncryption: 'AES256', ETag: put.json.ETag });
    // HEAD errors have no body: the CLI can only report the status, exactly as with AWS.
    expect(failed(headMissingKey)).toEqual({ exitCode: 254, code: '404', operation: 'HeadObject' });
    expect(failed(headMissingBucket)).toEqual({ exitCode: 254, code: '404', operation: 'HeadObject' });
    expect(failed(getMissing)).toEqual({ exitCode: 254, code: 'NoSuchKey', operation: 'GetObject' });
    expect(failed(putMissingBucket)).toEqual({ exitCode: 254, code: 'NoSuchBucket', operation: 'PutObject' });
    expect(location.json).toEqual({ LocationConstraint: 'eu-west-1' });
    expect(buckets.json.Buckets.map((b: any) => b.Name)).toEqual(expect.arrayContaining(['conformance-east', 'conformance-west']));
    expect(buckets.json.Owner.ID).toEqual(expect.any(String));
    expect(versions.json.Versions).toEqual([
      expect.objectContaining({ Key: key, VersionId: 'null', IsLatest: true, ETag: put.json.ETag, Size: head.json.ContentLength }),
    ]);
    expect(versions.json.IsTruncated).toBe(false);
    expect(failed(unknown)).toMatchObject({ exitCode: 254, code: 'NotImplemented' });

    const removed = await aws(['s3api', 'delete-objects', '--bucket', 'conformance-east', '--delete', JSON.stringify({ Objects: [{ Key: key, VersionId: 'null' }], Quiet: true })]);
    expect(removed.exitCode).toBe(0);
    expect(removed.json?.Errors).toBeUndefined();
    const [after, deleteMissing] = await Promise.all([
      aws(['s3api', 'list-object-versions', '--bucket', 'conformance-east']),
      aws(['s3api', 'delete-objects', '--bucket', 'conformance-none', '--delete', JSON.stringify({ Objects: [{ Key: 'k' }] })]),
    ]);
    expect(after.json?.Versions).toBeUndefined();
    expect(failed(deleteMissing)).toMatchObject({ code: 'NoSuchBucket', operation: 'DeleteObjects' });
  });

  // FINDINGS.md (fixed): a second put-object replaced the first version and DeleteBucket then succeeded.
  it('S3 versioning: noncurrent versions, delete markers, version ids and BucketNotEmpty', async () => {
    const bucket = 'conformance-versions';
    const body = join(home, 'fn.zip');
    expect((await aws(['s3api', 'create-bucket', '--bucket', bucket])).exitCode).toBe(0);
    expect((await aws(['s3api', 'put-bucket-versioning', '--bucket', bucket, '--versioning-configuration', 'Status=Enabled'])).exitCode).toBe(0);
    const v1 = await aws(['s3api', 'put-object', '--bucket', bucket, '--key', 'k', '--body', body]);
    const v2 = await aws(['s3api', 'put-object', '--bucket', bucket, '--key', 'k', '--body', body]);
    expect(v1.json.VersionId).toEqual(expect.any(String));
    expect(v2.json.VersionId).not.toBe(v1.json.VersionId);
    const marker = await aws(['s3api', 'delete-object', '--bucket', bucket, '--key', 'k']);
    expect(marker.json).toEqual({ DeleteMarker: true, VersionId: expect.any(String) });
    const [listed, old, head, notEmpty] = await Promise.all([
      aws(['s3api', 'list-object-versions', '--bucket', bucket]),
      aws(['s3api', 'head-object', '--bucket', bucket, '--key', 'k', '--version-id', v1.json.VersionId]),
      aws(['s3api', 'head-object', '--bucket', bucket, '--key', 'k']),
      aws(['s3api', 'delete-bucket', '--bucket', bucket]),
    ]);
    expect(listed.json.Versions.map((v: any) => [v.VersionId, v.IsLatest])).toEqual([[v2.json.VersionId, false], [v1.json.VersionId, false]]);
    expect(listed.json.DeleteMarkers.map((m: any) => [m.Key, m.VersionId, m.IsLatest])).toEqual([['k', marker.json.VersionId, true]]);
    expect(old.json).toMatchObject({ VersionId: v1.json.VersionId, ETag: v1.json.ETag });
    expect(failed(head)).toEqual({ exitCode: 254, code: '404', operation: 'HeadObject' });
    expect(failed(notEmpty)).toMatchObject({ code: 'BucketNotEmpty', operation: 'DeleteBucket' });

    const all = [...listed.json.Versions, ...listed.json.DeleteMarkers].map((v: any) => ({ Key: v.Key, VersionId: v.VersionId }));
    const removed = await aws(['s3api', 'delete-objects', '--bucket', bucket, '--delete', JSON.stringify({ Objects: all })]);
    expect(removed.json.Deleted).toHaveLength(3);
    expect(removed.json.Deleted).toContainEqual({ Key: 'k', VersionId: marker.json.VersionId, DeleteMarker: true, DeleteMarkerVersionId: marker.json.VersionId });
    expect((await aws(['s3api', 'delete-bucket', '--bucket', bucket])).exitCode).toBe(0);
  });

  it('DynamoDB (awsJson1_0): tables and the items the check Lambda reads and writes, with typed errors', async () => {
    const created = await aws(['dynamodb', 'create-table', '--table-name', 'conformance-health', '--billing-mode', 'PAY_PER_REQUEST',
      '--attribute-definitions', 'AttributeName=id,AttributeType=S', '--key-schema', 'AttributeName=id,KeyType=HASH']);
    expect(created.json.TableDescription).toMatchObject({
      TableName: 'conformance-health',
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/conformance-health',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
    const item = { id: { S: 'healthcheck' }, timestamp: { S: '2026-01-01T00:00:00.000Z' } };
    const put = await aws(['dynamodb', 'put-item', '--table-name', 'conformance-health', '--item', JSON.stringify(item)]);
    expect({ exitCode: put.exitCode, json: put.json }).toEqual({ exitCode: 0, json: undefined });
    const [got, described, tables, missingGet, missingDescribe, wrongKey, missingKey, duplicate, badName, unknown] = await Promise.all([
      aws(['dynamodb', 'get-item', '--table-name', 'conformance-health', '--key', '{"id":{"S":"healthcheck"}}', '--consistent-read']),
      aws(['dynamodb', 'describe-table', '--table-name', 'conformance-health']),
      aws(['dynamodb', 'list-tables']),
      aws(['dynamodb', 'get-item', '--table-name', 'no-such-table', '--key', '{"id":{"S":"x"}}']),
      aws(['dynamodb', 'describe-table', '--table-name', 'no-such-table']),
      aws(['dynamodb', 'get-item', '--table-name', 'conformance-health', '--key', '{"pk":{"S":"x"}}']),
      aws(['dynamodb', 'put-item', '--table-name', 'conformance-health', '--item', '{"other":{"S":"x"}}']),
      aws(['dynamodb', 'create-table', '--table-name', 'conformance-health', '--billing-mode', 'PAY_PER_REQUEST',
        '--attribute-definitions', 'AttributeName=id,AttributeType=S', '--key-schema', 'AttributeName=id,KeyType=HASH']),
      aws(['dynamodb', 'describe-table', '--table-name', 'bad name!']),
      aws(['dynamodb', 'list-backups']),
    ]);
    expect(got.json).toEqual({ Item: item });
    expect(described.json.Table).toMatchObject({ TableStatus: 'ACTIVE', ItemCount: expect.any(Number), BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } });
    expect(tables.json.TableNames).toContain('conformance-health');
    expect(failed(missingGet)).toEqual({ exitCode: 254, code: 'ResourceNotFoundException', operation: 'GetItem' });
    expect(failed(missingDescribe)).toEqual({ exitCode: 254, code: 'ResourceNotFoundException', operation: 'DescribeTable' });
    expect(failed(wrongKey)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'GetItem' });
    expect(wrongKey.error?.message).toBe('The provided key element does not match the schema');
    expect(failed(missingKey)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'PutItem' });
    expect(missingKey.error?.message).toBe('One or more parameter values were invalid: Missing the key id in the item');
    expect(failed(duplicate)).toEqual({ exitCode: 254, code: 'ResourceInUseException', operation: 'CreateTable' });
    expect(failed(badName)).toMatchObject({ code: 'ValidationException' });
    expect(failed(unknown)).toMatchObject({ exitCode: 254, code: 'UnknownOperationException', operation: 'ListBackups' });
  });

  it('Lambda (restJson1): list, get/update configuration, invoke, and errors', async () => {
    // Lambda checks that the execution role exists, as AWS does (InvalidParameterValueException).
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    await aws(['iam', 'create-role', '--role-name', 'conformance-fn-role', '--assume-role-policy-document', JSON.stringify(trust)]);
    const created = await aws(['lambda', 'create-function', '--function-name', 'conformance-check', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
      '--role', 'arn:aws:iam::000000000000:role/conformance-fn-role', '--zip-file', `fileb://${join(home, 'fn.zip')}`, '--environment', 'Variables={MODE=one}']);
    expect(created.json).toMatchObject({ FunctionName: 'conformance-check', Runtime: 'nodejs20.x', FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:conformance-check' });
    const [listed, config, missing, tooLong, unknown, settings] = await Promise.all([
      aws(['lambda', 'list-functions']),
      aws(['lambda', 'get-function-configuration', '--function-name', 'conformance-check']),
      aws(['lambda', 'get-function-configuration', '--function-name', 'no-such-function']),
      aws(['lambda', 'update-function-configuration', '--function-name', 'conformance-check', '--timeout', '100000']),
      aws(['lambda', 'list-layers']),
      aws(['lambda', 'get-account-settings']),
    ]);
    // doctor's Lambda quota: AWS's default limits, and this region's usage including the function just created.
    expect(settings.json).toEqual({
      AccountLimit: { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 },
      AccountUsage: { TotalCodeSize: created.json.CodeSize, FunctionCount: 1 },
    });
    expect(listed.json.Functions.map((f: any) => f.FunctionName)).toContain('conformance-check');
    expect(config.json).toMatchObject({ FunctionName: 'conformance-check', Handler: 'index.handler', Environment: { Variables: { MODE: 'one' } }, State: 'Active' });
    expect(failed(missing)).toEqual({ exitCode: 254, code: 'ResourceNotFoundException', operation: 'GetFunctionConfiguration' });
    expect(failed(tooLong)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'UpdateFunctionConfiguration' });
    expect(failed(unknown)).toMatchObject({ exitCode: 254, code: 'UnknownOperationException' });

    const updated = await aws(['lambda', 'update-function-configuration', '--function-name', 'conformance-check', '--environment', 'Variables={MODE=one,FLAG=on}']);
    expect(updated.json).toMatchObject({ Environment: { Variables: { MODE: 'one', FLAG: 'on' } }, LastUpdateStatus: expect.stringMatching(/^(InProgress|Successful)$/) });
    const out = join(home, 'invoke.json');
    const invoked = await aws(['lambda', 'invoke', '--function-name', 'conformance-check', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"ping":1}', out]);
    expect(invoked.json).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ got: { ping: 1 }, flag: 'on' });
    const invokeMissing = await aws(['lambda', 'invoke', '--function-name', 'no-such-function', out]);
    expect(failed(invokeMissing)).toEqual({ exitCode: 254, code: 'ResourceNotFoundException', operation: 'Invoke' });
  });

  it('API Gateway (restJson1): GetRestApis and GetResources, and a missing API', async () => {
    const created = await aws(['apigateway', 'create-rest-api', '--name', 'conformance-api']);
    expect(created.json).toMatchObject({ id: expect.stringMatching(/^[a-z0-9]{10}$/), name: 'conformance-api' });
    const [apis, resources, missing, unknown] = await Promise.all([
      aws(['apigateway', 'get-rest-apis']),
      aws(['apigateway', 'get-resources', '--rest-api-id', created.json.id]),
      aws(['apigateway', 'get-resources', '--rest-api-id', 'nope123456']),
      aws(['apigateway', 'get-api-keys']),
    ]);
    expect(apis.json.items).toContainEqual(expect.objectContaining({ id: created.json.id, name: 'conformance-api' }));
    expect(resources.json.items).toEqual([expect.objectContaining({ path: '/', id: expect.any(String) })]);
    expect(failed(missing)).toEqual({ exitCode: 254, code: 'NotFoundException', operation: 'GetResources' });
    expect(failed(unknown)).toMatchObject({ exitCode: 254, code: 'UnknownOperationException' });
  });

  it('CloudWatch Logs (awsJson1_1): log groups and their typed errors', async () => {
    const created = await aws(['logs', 'create-log-group', '--log-group-name', '/regionctl/conformance']);
    expect(created.exitCode).toBe(0);
    const [groups, again, missing, badName] = await Promise.all([
      aws(['logs', 'describe-log-groups', '--log-group-name-prefix', '/regionctl/']),
      aws(['logs', 'create-log-group', '--log-group-name', '/regionctl/conformance']),
      aws(['logs', 'filter-log-events', '--log-group-name', '/regionctl/none']),
      aws(['logs', 'create-log-group', '--log-group-name', 'a:b']),
    ]);
    expect(failed(badName)).toEqual({ exitCode: 254, code: 'InvalidParameterException', operation: 'CreateLogGroup' });
    expect(badName.error?.message).toBe("1 validation error detected: Value 'a:b' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
    expect(groups.json.logGroups).toEqual([expect.objectContaining({ logGroupName: '/regionctl/conformance', arn: expect.stringMatching(/^arn:aws:logs:us-east-1:000000000000:log-group:\/regionctl\/conformance/) })]);
    expect(failed(again)).toEqual({ exitCode: 254, code: 'ResourceAlreadyExistsException', operation: 'CreateLogGroup' });
    expect(failed(missing)).toEqual({ exitCode: 254, code: 'ResourceNotFoundException', operation: 'FilterLogEvents' });
  });

  it('Route 53 (restXml, global): hosted zones by name (doctor), record changes, and errors', async () => {
    const created = await aws(['route53', 'create-hosted-zone', '--name', 'conformance.test', '--caller-reference', 'awscli-suite']);
    expect(created.json.HostedZone).toMatchObject({ Id: expect.stringMatching(/^\/hostedzone\/Z[A-Z0-9]+$/), Name: 'conformance.test.' });
    const zoneId = created.json.HostedZone.Id;
    const batch = { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'api.conformance.test', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] } }] };
    const alarmCheck = { Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Region: 'us-east-1', Name: 'conformance-r53' }, InsufficientDataHealthStatus: 'Healthy' };
    const [byName, changed, missingZone, badDelete, healthCheck, calculated] = await Promise.all([
      aws(['route53', 'list-hosted-zones-by-name', '--dns-name', 'conformance.test', '--max-items', '1']),
      aws(['route53', 'change-resource-record-sets', '--hosted-zone-id', zoneId, '--change-batch', JSON.stringify(batch)]),
      aws(['route53', 'get-hosted-zone', '--id', 'ZNOSUCHZONE']),
      aws(['route53', 'change-resource-record-sets', '--hosted-zone-id', zoneId, '--change-batch',
        JSON.stringify({ Changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: 'nope.conformance.test', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } }] })]),
      aws(['route53', 'create-health-check', '--caller-reference', 'awscli-alarm', '--health-check-config', JSON.stringify(alarmCheck)]),
      aws(['route53', 'create-health-check', '--caller-reference', 'awscli-calculated', '--health-check-config', JSON.stringify({ Type: 'CALCULATED', HealthThreshold: 1, ChildHealthChecks: [] })]),
    ]);
    expect(healthCheck.json.HealthCheck).toMatchObject({ Id: expect.any(String), HealthCheckConfig: expect.objectContaining({ Type: 'CLOUDWATCH_METRIC' }) });
    expect(calculated.exitCode).toBe(0);
    // What the drills and doctor send: TestDNSAnswer with a client subnet, GetHealthCheckStatus, GetAccountLimit.
    const [answer, nxdomain, answerNoZone, status, statusMissing, statusCalculated, hcLimit, zoneLimit, badLimit] = await Promise.all([
      aws(['route53', 'test-dns-answer', '--hosted-zone-id', zoneId, '--record-name', 'api.conformance.test', '--record-type', 'A',
        '--edns0-client-subnet-ip', '203.0.113.7', '--edns0-client-subnet-mask', '24']),
      aws(['route53', 'test-dns-answer', '--hosted-zone-id', zoneId, '--record-name', 'nope.conformance.test', '--record-type', 'A']),
      aws(['route53', 'test-dns-answer', '--hosted-zone-id', 'ZNOSUCHZONE', '--record-name', 'api.conformance.test', '--record-type', 'A']),
      aws(['route53', 'get-health-check-status', '--health-check-id', healthCheck.json.HealthCheck.Id]),
      aws(['route53', 'get-health-check-status', '--health-check-id', '00000000-0000-0000-0000-000000000000']),
      aws(['route53', 'get-health-check-status', '--health-check-id', calculated.json.HealthCheck.Id]),
      aws(['route53', 'get-account-limit', '--type', 'MAX_HEALTH_CHECKS_BY_OWNER']),
      aws(['route53', 'get-account-limit', '--type', 'MAX_HOSTED_ZONES_BY_OWNER']),
      aws(['route53', 'get-account-limit', '--type', 'MAX_NOTHING']),
    ]);
    expect(answer.json).toEqual({ Nameserver: expect.any(String), RecordName: 'api.conformance.test.', RecordType: 'A', RecordData: ['192.0.2.10'], ResponseCode: 'NOERROR', Protocol: 'UDP' });
    expect(nxdomain.json).toMatchObject({ RecordData: [], ResponseCode: 'NXDOMAIN' });
    expect(failed(answerNoZone)).toEqual({ exitCode: 254, code: 'NoSuchHostedZone', operation: 'TestDNSAnswer' });
    const observations = status.json.HealthCheckObservations;
    expect(observations.length).toBeGreaterThan(0);
    for (const o of observations) {
      expect(o).toEqual({ Region: expect.any(String), IPAddress: expect.any(String), StatusReport: { Status: expect.stringMatching(/^Success: /), CheckedTime: expect.any(String) } });
      expect(Date.parse(o.StatusReport.CheckedTime)).not.toBeNaN();
    }
    expect(failed(statusMissing)).toEqual({ exitCode: 254, code: 'NoSuchHealthCheck', operation: 'GetHealthCheckStatus' });
    expect(failed(statusCalculated)).toEqual({ exitCode: 254, code: 'InvalidInput', operation: 'GetHealthCheckStatus' });
    expect(hcLimit.json).toEqual({ Limit: { Type: 'MAX_HEALTH_CHECKS_BY_OWNER', Value: 200 }, Count: 2 });
    expect(zoneLimit.json).toEqual({ Limit: { Type: 'MAX_HOSTED_ZONES_BY_OWNER', Value: 500 }, Count: 1 });
    expect(failed(badLimit)).toEqual({ exitCode: 254, code: 'InvalidInput', operation: 'GetAccountLimit' });
    expect(badLimit.error?.message).toMatch(/^1 validation error detected: Value 'MAX_NOTHING' at 'type' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    expect(byName.json).toMatchObject({ DNSName: 'conformance.test', IsTruncated: false, HostedZones: [expect.objectContaining({ Id: zoneId, Name: 'conformance.test.', Config: { PrivateZone: false } })] });
    expect(changed.json.ChangeInfo).toMatchObject({ Id: expect.any(String), Status: expect.stringMatching(/^(PENDING|INSYNC)$/) });
    expect(failed(missingZone)).toEqual({ exitCode: 254, code: 'NoSuchHostedZone', operation: 'GetHostedZone' });
    expect(failed(badDelete)).toMatchObject({ exitCode: 254, code: 'InvalidChangeBatch' });
    const records = await aws(['route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId]);
    expect(records.json.ResourceRecordSets.map((r: any) => [r.Name, r.Type])).toEqual([
      ['conformance.test.', 'NS'],
      ['conformance.test.', 'SOA'],
      ['api.conformance.test.', 'A'],
    ]);
  });

  it('ACM (awsJson1_1): DescribeCertificate as doctor reads it; other regions and malformed ARNs are errors', async () => {
    const requested = await aws(['acm', 'request-certificate', '--domain-name', 'api.conformance.test', '--validation-method', 'DNS',
      '--subject-alternative-names', '*.conformance.test']);
    const arn = requested.json.CertificateArn;
    expect(arn).toMatch(/^arn:aws:acm:us-east-1:000000000000:certificate\/[0-9a-f-]{36}$/);
    const [described, otherRegion, malformed, missing] = await Promise.all([
      aws(['acm', 'describe-certificate', '--certificate-arn', arn]),
      aws(['acm', 'describe-certificate', '--certificate-arn', arn], 'us-west-2'),
      aws(['acm', 'describe-certificate', '--certificate-arn', 'not-an-acm-certificate-arn']),
      aws(['acm', 'describe-certificate', '--certificate-arn', 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000']),
    ]);
    expect(described.json.Certificate).toMatchObject({
      CertificateArn: arn,
      DomainName: 'api.conformance.test',
      SubjectAlternativeNames: ['api.conformance.test', '*.conformance.test'],
      Status: 'ISSUED',
      Type: 'AMAZON_ISSUED',
      DomainValidationOptions: expect.arrayContaining([expect.objectContaining({ DomainName: 'api.conformance.test', ValidationMethod: 'DNS', ResourceRecord: expect.objectContaining({ Type: 'CNAME' }) })]),
    });
    // botocore parses the epoch-seconds timestamps into dates; the CLI prints them as ISO text.
    expect(Date.parse(described.json.Certificate.CreatedAt)).not.toBeNaN();
    // An ARN from another region is not found there: doctor's "not found in REGION" relies on it.
    expect(failed(otherRegion)).toEqual({ exitCode: 254, code: 'ResourceNotFoundException', operation: 'DescribeCertificate' });
    expect(failed(missing)).toEqual({ exitCode: 254, code: 'ResourceNotFoundException', operation: 'DescribeCertificate' });
    expect(failed(malformed)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'DescribeCertificate' });
  });

  it('Account (restJson1, global): GetRegionOptStatus for default, opt-in and unknown regions', async (ctx) => {
    const why = addNewerModel(home, 'account');
    skipTestWithoutTool(ctx, "boto3's botocore model", why);
    const [byDefault, optIn, unknown] = await Promise.all([
      aws(['account', 'get-region-opt-status', '--region-name', 'us-west-2']),
      aws(['account', 'get-region-opt-status', '--region-name', 'af-south-1']),
      aws(['account', 'get-region-opt-status', '--region-name', 'xx-nowhere-1']),
    ]);
    expect(byDefault.json).toEqual({ RegionName: 'us-west-2', RegionOptStatus: 'ENABLED_BY_DEFAULT' });
    expect(optIn.json).toEqual({ RegionName: 'af-south-1', RegionOptStatus: 'ENABLED' });
    expect(failed(unknown)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'GetRegionOptStatus' });
    expect(unknown.error?.message).toBe('Invalid Region: xx-nowhere-1');
  });

  it('CloudWatch (awsQuery): alarms, alarm state, metric data, and errors', async () => {
    const put = await aws(['cloudwatch', 'put-metric-alarm', '--alarm-name', 'conformance-5xx', '--namespace', 'AWS/ApiGateway', '--metric-name', '5XXError',
      '--dimensions', 'Name=ApiName,Value=test-shop', '--statistic', 'Sum', '--period', '60', '--evaluation-periods', '1', '--threshold', '1',
      '--comparison-operator', 'GreaterThanOrEqualToThreshold']);
    expect({ exitCode: put.exitCode, stderr: put.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const [set, missing, data, unknown] = await Promise.all([
      aws(['cloudwatch', 'set-alarm-state', '--alarm-name', 'conformance-5xx', '--state-value', 'ALARM', '--state-reason', 'conformance']),
      aws(['cloudwatch', 'set-alarm-state', '--alarm-name', 'no-such-alarm', '--state-value', 'ALARM', '--state-reason', 'x']),
      aws(['cloudwatch', 'put-metric-data', '--namespace', 'Regionctl/Conformance', '--metric-data', 'MetricName=Probe,Value=1']),
      aws(['cloudwatch', 'list-dashboards']),
    ]);
    expect(set.exitCode).toBe(0);
    expect(failed(missing)).toEqual({ exitCode: 254, code: 'ResourceNotFound', operation: 'SetAlarmState' });
    expect(data.exitCode).toBe(0);
    expect(failed(unknown)).toMatchObject({ exitCode: 254, code: 'InvalidAction' });
    const [alarms, stats] = await Promise.all([
      aws(['cloudwatch', 'describe-alarms', '--alarm-names', 'conformance-5xx']),
      aws(['cloudwatch', 'get-metric-statistics', '--namespace', 'Regionctl/Conformance', '--metric-name', 'Probe', '--statistics', 'Sum', '--period', '60',
        '--start-time', '1970-01-01T00:00:00Z', '--end-time', '2100-01-01T00:00:00Z']),
    ]);
    expect(alarms.json.MetricAlarms).toEqual([
      expect.objectContaining({ AlarmName: 'conformance-5xx', StateValue: 'ALARM', StateReason: 'conformance', Threshold: 1, Dimensions: [{ Name: 'ApiName', Value: 'test-shop' }] }),
    ]);
    expect(stats.json).toMatchObject({ Label: 'Probe', Datapoints: [expect.objectContaining({ Sum: 1 })] });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { skipWithoutTool } from '../support/require-tool.js';
import { awsCli, awsCliMissing, type CliResult } from './aws-cli.js';

// What the replication stacks rely on, through AWS CLI v2 (botocore): object metadata, bucket
// notifications to SNS, and S3 replication configuration with the replication status headers.
const skip = skipWithoutTool('AWS CLI v2', awsCliMissing());
const failed = (r: CliResult) => ({ exitCode: r.exitCode, code: r.error?.code, operation: r.error?.operation });

describe.skipIf(skip)('AWS CLI v2: S3 metadata, notifications and replication', { timeout: 300_000 }, () => {
  const clock = new ManualClock();
  let cloud: LocalCloud;
  let home: string;
  let aws: ReturnType<typeof awsCli>;
  const file = (name: string, value: unknown) => {
    writeFileSync(join(home, name), typeof value === 'string' ? value : JSON.stringify(value));
    return `file://${join(home, name)}`;
  };

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, clock });
    home = mkdtempSync(join(tmpdir(), 'regionctl-awscli-repl-'));
    aws = awsCli(cloud.url, home);
  });
  afterAll(async () => {
    await cloud?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('object metadata, content type and cache control round-trip', async () => {
    expect((await aws(['s3api', 'create-bucket', '--bucket', 'conf-meta'])).exitCode).toBe(0);
    file('body.txt', 'hello');
    const put = await aws(['s3api', 'put-object', '--bucket', 'conf-meta', '--key', 'docs/a b.txt', '--body', join(home, 'body.txt'), '--content-type', 'text/plain',
      '--cache-control', 'max-age=60', '--metadata', 'origin=somewhere,n=1']);
    expect(put.exitCode).toBe(0);
    const head = await aws(['s3api', 'head-object', '--bucket', 'conf-meta', '--key', 'docs/a b.txt']);
    expect(head.json).toMatchObject({ ContentType: 'text/plain', CacheControl: 'max-age=60', Metadata: { origin: 'somewhere', n: '1' } });
    expect(head.json.ReplicationStatus).toBeUndefined();
  });

  it('bucket notifications to an SNS topic whose policy lets only this bucket publish', async () => {
    expect((await aws(['s3api', 'create-bucket', '--bucket', 'conf-events'])).exitCode).toBe(0);
    const topic = (await aws(['sns', 'create-topic', '--name', 'conf-events'])).json.TopicArn as string;
    const config = { TopicConfigurations: [{ Id: 'created', TopicArn: topic, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'docs/' }] } } }] };
    // The default topic policy does not let S3 publish: S3 refuses the configuration.
    const refused = await aws(['s3api', 'put-bucket-notification-configuration', '--bucket', 'conf-events', '--notification-configuration', file('n.json', config)]);
    expect(failed(refused)).toMatchObject({ code: 'InvalidArgument', operation: 'PutBucketNotificationConfiguration' });
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sns:Publish', Resource: topic, Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::conf-events' } } }] };
    expect((await aws(['sns', 'set-topic-attributes', '--topic-arn', topic, '--attribute-name', 'Policy', '--attribute-value', JSON.stringify(policy)])).exitCode).toBe(0);
    expect((await aws(['s3api', 'put-bucket-notification-configuration', '--bucket', 'conf-events', '--notification-configuration', file('n.json', config)])).exitCode).toBe(0);
    const got = await aws(['s3api', 'get-bucket-notification-configuration', '--bucket', 'conf-events']);
    expect(got.json).toEqual({ TopicConfigurations: [{ Id: 'created', TopicArn: topic, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'docs/' }] } } }] });
  });

  it('replication configuration: versioning required, rules stored and returned, status headers, delete', async () => {
    const [east, west] = await Promise.all([
      aws(['s3api', 'create-bucket', '--bucket', 'conf-repl-east']),
      aws(['s3api', 'create-bucket', '--bucket', 'conf-repl-west', '--create-bucket-configuration', 'LocationConstraint=us-west-2'], 'us-west-2'),
    ]);
    expect([east.exitCode, west.exitCode]).toEqual([0, 0]);
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const role = (await aws(['iam', 'create-role', '--role-name', 'conf-replication', '--assume-role-policy-document', JSON.stringify(trust)])).json.Role.Arn as string;
    const grants = { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: ['s3:GetObjectVersionForReplication'], Resource: 'arn:aws:s3:::conf-repl-east/*' },
      { Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateDelete'], Resource: 'arn:aws:s3:::conf-repl-west/*' },
    ] };
    expect((await aws(['iam', 'put-role-policy', '--role-name', 'conf-replication', '--policy-name', 'replicate', '--policy-document', JSON.stringify(grants)])).exitCode).toBe(0);
    const config = {
      Role: role,
      Rules: [{ ID: 'to-west', Priority: 1, Status: 'Enabled', Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Enabled' },
        SourceSelectionCriteria: { ReplicaModifications: { Status: 'Enabled' } }, Destination: { Bucket: 'arn:aws:s3:::conf-repl-west', Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } } } }],
    };
    const unversioned = await aws(['s3api', 'put-bucket-replication', '--bucket', 'conf-repl-east', '--replication-configuration', file('r.json', config)]);
    expect(failed(unversioned)).toMatchObject({ code: 'InvalidRequest', operation: 'PutBucketReplication' });
    const none = await aws(['s3api', 'get-bucket-replication', '--bucket', 'conf-repl-east']);
    expect(failed(none)).toMatchObject({ code: 'ReplicationConfigurationNotFoundError', operation: 'GetBucketReplication' });
    await Promise.all([
      aws(['s3api', 'put-bucket-versioning', '--bucket', 'conf-repl-east', '--versioning-configuration', 'Status=Enabled']),
      aws(['s3api', 'put-bucket-versioning', '--bucket', 'conf-repl-west', '--versioning-configuration', 'Status=Enabled'], 'us-west-2'),
    ]);
    const noDeleteMarkers = await aws(['s3api', 'put-bucket-replication', '--bucket', 'conf-repl-east', '--replication-configuration',
      file('bad.json', { ...config, Rules: [{ ...config.Rules[0], DeleteMarkerReplication: undefined }] })]);
    expect(failed(noDeleteMarkers)).toMatchObject({ code: 'InvalidRequest' });
    expect((await aws(['s3api', 'put-bucket-replication', '--bucket', 'conf-repl-east', '--replication-configuration', file('r.json', config)])).exitCode).toBe(0);
    const got = await aws(['s3api', 'get-bucket-replication', '--bucket', 'conf-repl-east']);
    expect(got.json.ReplicationConfiguration).toEqual({ Role: role, Rules: [{ ...config.Rules[0], Destination: { ...config.Rules[0]!.Destination } }] });

    const put = await aws(['s3api', 'put-object', '--bucket', 'conf-repl-east', '--key', 'k', '--body', join(home, 'r.json'), '--metadata', 'n=1']);
    expect((await aws(['s3api', 'head-object', '--bucket', 'conf-repl-east', '--key', 'k'])).json.ReplicationStatus).toBe('PENDING');
    await clock.advance(1000);
    const [source, replica] = await Promise.all([
      aws(['s3api', 'head-object', '--bucket', 'conf-repl-east', '--key', 'k']),
      aws(['s3api', 'head-object', '--bucket', 'conf-repl-west', '--key', 'k'], 'us-west-2'),
    ]);
    expect(source.json.ReplicationStatus).toBe('COMPLETED');
    expect(replica.json).toMatchObject({ ReplicationStatus: 'REPLICA', VersionId: put.json.VersionId, Metadata: { n: '1' } });

    const suspend = await aws(['s3api', 'put-bucket-versioning', '--bucket', 'conf-repl-east', '--versioning-configuration', 'Status=Suspended']);
    expect(failed(suspend)).toMatchObject({ code: 'InvalidBucketState' });
    expect((await aws(['s3api', 'delete-bucket-replication', '--bucket', 'conf-repl-east'])).exitCode).toBe(0);
    expect(failed(await aws(['s3api', 'get-bucket-replication', '--bucket', 'conf-repl-east']))).toMatchObject({ code: 'ReplicationConfigurationNotFoundError' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('CloudFormation TemplateURL with the local S3', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('creates a stack from a template uploaded to a bucket, addressed path-style at the local endpoint', async () => {
    const s3 = new S3Client({ endpoint: cloud.url, region: 'us-west-2', credentials, forcePathStyle: true });
    const cfn = new CloudFormationClient({ endpoint: cloud.url, region: 'us-west-2', credentials });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'templates-usw2', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
      await s3.send(new PutObjectCommand({ Bucket: 'templates-usw2', Key: 'stacks/logs.yml', Body: 'Resources: { G: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: /from/url } } }\nOutputs: { Arn: { Value: !GetAtt G.Arn } }' }));
      await cfn.send(new CreateStackCommand({ StackName: 'from-url', TemplateURL: `${cloud.url}/templates-usw2/stacks/logs.yml` }));
      await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { StackName: 'from-url' });
      const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'from-url' }))).Stacks!;
      expect(stack.Outputs?.[0].OutputValue).toBe('arn:aws:logs:us-west-2:000000000000:log-group:/from/url:*');
    } finally {
      s3.destroy();
      cfn.destroy();
    }
  });
});

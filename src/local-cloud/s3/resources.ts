import type { ResourceContext, ResourceProvider, ResourceResult } from '../types.js';
import { generatedBucketName } from './bucket-names.js';
import type { S3Domain } from './domain.js';
import type { NotificationConfig, NotificationTarget } from './model.js';
import { replicationFromTemplate } from './replication-config.js';

const bool = (value: unknown) => value === true || value === 'true';

function attributes(name: string, region: string): ResourceResult {
  return {
    physicalId: name,
    attributes: {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
    },
  };
}

// CloudFormation spells the default-encryption rule ServerSideEncryptionByDefault; the API
// (and what GetBucketEncryption returns) calls it ApplyServerSideEncryptionByDefault.
function encryptionFromTemplate(value: any): unknown {
  const rules = (value?.ServerSideEncryptionConfiguration ?? []).map((rule: any) => ({
    ...(rule.ServerSideEncryptionByDefault
      ? {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: rule.ServerSideEncryptionByDefault.SSEAlgorithm,
            ...(rule.ServerSideEncryptionByDefault.KMSMasterKeyID ? { KMSMasterKeyID: rule.ServerSideEncryptionByDefault.KMSMasterKeyID } : {}),
          },
        }
      : {}),
    BucketKeyEnabled: bool(rule.BucketKeyEnabled),
  }));
  return { Rule: rules };
}

function notificationFromTemplate(value: any): NotificationConfig {
  const targets = (list: any[] | undefined, arnField: string): NotificationTarget[] =>
    (list ?? []).map((entry, i) => {
      const rules: any[] = entry.Filter?.S3Key?.Rules ?? [];
      const rule = (name: string) => rules.find((r) => String(r.Name).toLowerCase() === name)?.Value;
      return {
        id: `${arnField}-${i + 1}`,
        arn: String(entry[arnField]),
        events: [String(entry.Event)],
        ...(rule('prefix') !== undefined ? { prefix: String(rule('prefix')) } : {}),
        ...(rule('suffix') !== undefined ? { suffix: String(rule('suffix')) } : {}),
      };
    });
  return {
    topics: targets(value?.TopicConfigurations, 'Topic'),
    queues: targets(value?.QueueConfigurations, 'Queue'),
    lambdas: targets(value?.LambdaConfigurations, 'Function'),
  };
}

async function configure(s3: S3Domain, ctx: ResourceContext, name: string, props: Record<string, any>): Promise<void> {
  if (props.PublicAccessBlockConfiguration) {
    const pab = props.PublicAccessBlockConfiguration;
    s3.putPublicAccessBlock(ctx.region, name, {
      BlockPublicAcls: bool(pab.BlockPublicAcls),
      IgnorePublicAcls: bool(pab.IgnorePublicAcls),
      BlockPublicPolicy: bool(pab.BlockPublicPolicy),
      RestrictPublicBuckets: bool(pab.RestrictPublicBuckets),
    });
  } else s3.deletePublicAccessBlock(ctx.region, name);
  if (props.BucketEncryption) s3.putEncryption(ctx.region, name, encryptionFromTemplate(props.BucketEncryption));
  else s3.deleteEncryption(ctx.region, name);
  // Replication needs versioning Enabled (checked by putReplication); a removed configuration goes first, so versioning may then be suspended.
  if (!props.ReplicationConfiguration) s3.deleteReplication(ctx.region, name);
  if (props.VersioningConfiguration?.Status) s3.putVersioning(ctx.region, name, props.VersioningConfiguration.Status);
  if (props.ReplicationConfiguration) s3.putReplication(ctx.region, name, replicationFromTemplate(props.ReplicationConfiguration));
  if (Array.isArray(props.Tags) && props.Tags.length) s3.putTags(ctx.region, name, Object.fromEntries(props.Tags.map((t: any) => [String(t.Key), String(t.Value)])));
  else s3.deleteTags(ctx.region, name);
  await s3.configureNotification(ctx.region, name, notificationFromTemplate(props.NotificationConfiguration));
}

/** AWS::S3::Bucket: configuration updates in place; a BucketName change replaces it. */
export function bucketResource(s3: S3Domain): ResourceProvider {
  return {
    type: 'AWS::S3::Bucket',
    replaceOn: ['BucketName'],
    async create(ctx, props) {
      const name: string = props.BucketName ?? generatedBucketName(ctx.stackName, ctx.logicalId);
      s3.createBucket(ctx.region, name, ctx.region === 'us-east-1' ? undefined : ctx.region);
      await configure(s3, ctx, name, props);
      return attributes(name, ctx.region);
    },
    async update(ctx, physicalId, props) {
      await configure(s3, ctx, physicalId, props);
      return attributes(physicalId, ctx.region);
    },
    async delete(ctx, physicalId) {
      if (s3.bucketRegion(physicalId) === undefined) return;
      s3.deleteBucket(ctx.region, physicalId);
    },
  };
}

/** AWS::S3::BucketPolicy: PolicyDocument arrives as an object (or a JSON string). */
export function bucketPolicyResource(s3: S3Domain): ResourceProvider {
  const put = (ctx: ResourceContext, props: Record<string, any>) => {
    const doc = typeof props.PolicyDocument === 'string' ? props.PolicyDocument : JSON.stringify(props.PolicyDocument);
    s3.putPolicy(ctx.region, String(props.Bucket), doc);
  };
  return {
    type: 'AWS::S3::BucketPolicy',
    replaceOn: ['Bucket'],
    async create(ctx, props) {
      put(ctx, props);
      return { physicalId: `${ctx.stackName}-${ctx.logicalId}-${String(props.Bucket)}`, attributes: {} };
    },
    async update(ctx, physicalId, props) {
      put(ctx, props);
      return { physicalId, attributes: {} };
    },
    async delete(ctx, _physicalId, props) {
      if (s3.bucketRegion(String(props.Bucket)) === undefined) return;
      s3.deletePolicy(ctx.region, String(props.Bucket));
    },
  };
}

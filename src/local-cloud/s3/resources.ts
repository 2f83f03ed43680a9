import { z } from 'zod';
import { defineResource } from '../cloudformation/resource-properties.js';
import { cfnBoolean, cfnEnum, cfnIgnoredList, cfnIgnoredObject, cfnJson, cfnString, cfnTags } from '../cloudformation/property-types.js';
import type { ResourceContext, ResourceProvider, ResourceResult } from '../types.js';
import { generatedBucketName } from './bucket-names.js';
import type { S3Domain } from './domain.js';
import type { NotificationConfig, NotificationTarget } from './model.js';
import { replicationFromTemplate } from './replication-config.js';

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

// AWS::S3::Bucket's properties, every one the type has
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html);
// the ones the local cloud acts on are typed to their members, the others are checked for their type only.
const filterRule = z.strictObject({ Name: cfnString(), Value: cfnString() });
const notificationFilter = z.strictObject({ S3Key: z.strictObject({ Rules: z.array(filterRule) }) });
const target = { Event: cfnString(), Filter: notificationFilter.optional() };
const bucketProperties = z.strictObject({
  AbacStatus: cfnEnum(['Enabled', 'Disabled']).optional(),
  AccelerateConfiguration: cfnIgnoredObject().optional(),
  AccessControl: cfnString().optional(),
  AnalyticsConfigurations: cfnIgnoredList().optional(),
  BucketEncryption: z
    .strictObject({
      ServerSideEncryptionConfiguration: z.array(
        z.strictObject({
          BucketKeyEnabled: cfnBoolean().optional(),
          ServerSideEncryptionByDefault: z.strictObject({ SSEAlgorithm: cfnEnum(['aws:kms', 'AES256', 'aws:kms:dsse']), KMSMasterKeyID: cfnString().optional() }).optional(),
          BlockedEncryptionTypes: cfnIgnoredObject().optional(),
        }),
      ),
    })
    .optional(),
  BucketName: cfnString().optional(),
  CorsConfiguration: cfnIgnoredObject().optional(),
  IntelligentTieringConfigurations: cfnIgnoredList().optional(),
  InventoryConfigurations: cfnIgnoredList().optional(),
  LifecycleConfiguration: cfnIgnoredObject().optional(),
  LoggingConfiguration: cfnIgnoredObject().optional(),
  MetadataConfiguration: cfnIgnoredObject().optional(),
  MetadataTableConfiguration: cfnIgnoredObject().optional(),
  MetricsConfigurations: cfnIgnoredList().optional(),
  NotificationConfiguration: z
    .strictObject({
      EventBridgeConfiguration: cfnIgnoredObject().optional(),
      LambdaConfigurations: z.array(z.strictObject({ ...target, Function: cfnString() })).optional(),
      QueueConfigurations: z.array(z.strictObject({ ...target, Queue: cfnString() })).optional(),
      TopicConfigurations: z.array(z.strictObject({ ...target, Topic: cfnString() })).optional(),
    })
    .optional(),
  ObjectLockConfiguration: cfnIgnoredObject().optional(),
  ObjectLockEnabled: cfnBoolean().optional(),
  OwnershipControls: cfnIgnoredObject().optional(),
  PublicAccessBlockConfiguration: z
    .strictObject({
      BlockPublicAcls: cfnBoolean().optional(),
      BlockPublicPolicy: cfnBoolean().optional(),
      IgnorePublicAcls: cfnBoolean().optional(),
      RestrictPublicBuckets: cfnBoolean().optional(),
    })
    .optional(),
  // Checked member by member by replicationFromTemplate, with S3's own messages.
  ReplicationConfiguration: cfnIgnoredObject().optional(),
  Tags: cfnTags().optional(),
  VersioningConfiguration: z.strictObject({ Status: cfnEnum(['Enabled', 'Suspended']) }).optional(),
  WebsiteConfiguration: cfnIgnoredObject().optional(),
});
type BucketProperties = z.infer<typeof bucketProperties>;

// CloudFormation spells the default-encryption rule ServerSideEncryptionByDefault; the API
// (and what GetBucketEncryption returns) calls it ApplyServerSideEncryptionByDefault.
function encryptionFromTemplate(value: NonNullable<BucketProperties['BucketEncryption']>): unknown {
  const rules = value.ServerSideEncryptionConfiguration.map((rule) => ({
    ...(rule.ServerSideEncryptionByDefault
      ? {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: rule.ServerSideEncryptionByDefault.SSEAlgorithm,
            ...(rule.ServerSideEncryptionByDefault.KMSMasterKeyID ? { KMSMasterKeyID: rule.ServerSideEncryptionByDefault.KMSMasterKeyID } : {}),
          },
        }
      : {}),
    BucketKeyEnabled: rule.BucketKeyEnabled ?? false,
  }));
  return { Rule: rules };
}

type TemplateTarget = { Event: string; Filter?: z.infer<typeof notificationFilter> };

function notificationFromTemplate(value: BucketProperties['NotificationConfiguration']): NotificationConfig {
  const targets = <K extends string>(list: Array<TemplateTarget & Record<K, string>> | undefined, arnField: K): NotificationTarget[] =>
    (list ?? []).map((entry, i) => {
      const rules = entry.Filter?.S3Key.Rules ?? [];
      const rule = (name: string) => rules.find((r) => r.Name.toLowerCase() === name)?.Value;
      const prefix = rule('prefix');
      const suffix = rule('suffix');
      return {
        id: `${arnField}-${i + 1}`,
        arn: entry[arnField],
        events: [entry.Event],
        ...(prefix !== undefined ? { prefix } : {}),
        ...(suffix !== undefined ? { suffix } : {}),
      };
    });
  return {
    topics: targets(value?.TopicConfigurations, 'Topic'),
    queues: targets(value?.QueueConfigurations, 'Queue'),
    lambdas: targets(value?.LambdaConfigurations, 'Function'),
  };
}

async function configure(s3: S3Domain, ctx: ResourceContext, name: string, props: BucketProperties): Promise<void> {
  const pab = props.PublicAccessBlockConfiguration;
  if (pab) {
    s3.putPublicAccessBlock(ctx.region, name, {
      BlockPublicAcls: pab.BlockPublicAcls ?? false,
      IgnorePublicAcls: pab.IgnorePublicAcls ?? false,
      BlockPublicPolicy: pab.BlockPublicPolicy ?? false,
      RestrictPublicBuckets: pab.RestrictPublicBuckets ?? false,
    });
  } else s3.deletePublicAccessBlock(ctx.region, name);
  if (props.BucketEncryption) s3.putEncryption(ctx.region, name, encryptionFromTemplate(props.BucketEncryption));
  else s3.deleteEncryption(ctx.region, name);
  // Replication needs versioning Enabled (checked by putReplication); a removed configuration goes first, so versioning may then be suspended.
  if (!props.ReplicationConfiguration) s3.deleteReplication(ctx.region, name);
  if (props.VersioningConfiguration) s3.putVersioning(ctx.region, name, props.VersioningConfiguration.Status);
  if (props.ReplicationConfiguration) s3.putReplication(ctx.region, name, replicationFromTemplate(props.ReplicationConfiguration));
  if (props.Tags?.length) s3.putTags(ctx.region, name, Object.fromEntries(props.Tags.map((t) => [t.Key, t.Value])));
  else s3.deleteTags(ctx.region, name);
  await s3.configureNotification(ctx.region, name, notificationFromTemplate(props.NotificationConfiguration));
}

/** AWS::S3::Bucket: configuration updates in place; a BucketName change replaces it. */
export function bucketResource(s3: S3Domain): ResourceProvider {
  return defineResource({
    type: 'AWS::S3::Bucket',
    properties: bucketProperties,
    replaceOn: ['BucketName'],
    async create(ctx, props) {
      const name = props.BucketName ?? generatedBucketName(ctx.stackName, ctx.logicalId);
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
  });
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucketpolicy.html
const bucketPolicyProperties = z.strictObject({ Bucket: cfnString(), PolicyDocument: cfnJson() });

/** AWS::S3::BucketPolicy: PolicyDocument arrives as an object (or a JSON string). */
export function bucketPolicyResource(s3: S3Domain): ResourceProvider {
  const put = (ctx: ResourceContext, props: z.infer<typeof bucketPolicyProperties>) => {
    s3.putPolicy(ctx.region, props.Bucket, JSON.stringify(props.PolicyDocument));
  };
  return defineResource({
    type: 'AWS::S3::BucketPolicy',
    properties: bucketPolicyProperties,
    replaceOn: ['Bucket'],
    async create(ctx, props) {
      put(ctx, props);
      return { physicalId: `${ctx.stackName}-${ctx.logicalId}-${props.Bucket}`, attributes: {} };
    },
    async update(ctx, physicalId, props) {
      put(ctx, props);
      return { physicalId, attributes: {} };
    },
    async delete(ctx, _physicalId, props) {
      if (s3.bucketRegion(props.Bucket) === undefined) return;
      s3.deletePolicy(ctx.region, props.Bucket);
    },
  });
}

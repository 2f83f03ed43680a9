import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineResource } from '../cloudformation/resource-properties.js';
import { cfnBoolean, cfnIgnoredObject, cfnString, cfnTags } from '../cloudformation/property-types.js';
import type { ResourceContext, ResourceProvider, ResourceResult } from '../types.js';
import type { DynamoDbDomain } from './domain.js';
import { attributeDefinitions, billingMode, keySchema, localSecondaryIndexes, provisionedThroughput, streamSpecification, tableGlobalSecondaryIndexes, timeToLive } from './resource-schema.js';
import type { CreateTableInput } from './tables.js';

// Every property of AWS::DynamoDB::Table
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html).
const tableProperties = z.strictObject({
  AttributeDefinitions: attributeDefinitions.optional(),
  BillingMode: billingMode.optional(),
  ContributorInsightsSpecification: cfnIgnoredObject().optional(),
  DeletionProtectionEnabled: cfnBoolean().optional(),
  GlobalSecondaryIndexes: tableGlobalSecondaryIndexes.optional(),
  ImportSourceSpecification: cfnIgnoredObject().optional(),
  KeySchema: keySchema,
  KinesisStreamSpecification: cfnIgnoredObject().optional(),
  LocalSecondaryIndexes: localSecondaryIndexes.optional(),
  OnDemandThroughput: cfnIgnoredObject().optional(),
  PointInTimeRecoverySpecification: cfnIgnoredObject().optional(),
  ProvisionedThroughput: provisionedThroughput.optional(),
  ResourcePolicy: cfnIgnoredObject().optional(),
  SSESpecification: z.strictObject({ KMSMasterKeyId: cfnString().optional(), SSEEnabled: cfnBoolean(), SSEType: cfnString().optional() }).optional(),
  StreamSpecification: streamSpecification.optional(),
  TableClass: cfnString().optional(),
  TableName: cfnString().optional(),
  Tags: cfnTags().optional(),
  TimeToLiveSpecification: timeToLive.optional(),
  WarmThroughput: cfnIgnoredObject().optional(),
});
type TableProperties = z.infer<typeof tableProperties>;

// CloudFormation's generated names: stack-logicalId-RANDOM, upper-case suffix, ≤ 255 chars.
function generatedName(ctx: ResourceContext): string {
  const suffix = randomBytes(9).toString('base64').replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 12);
  return `${ctx.stackName}-${ctx.logicalId}-${suffix}`.slice(0, 255);
}

const tagList = (tags: TableProperties['Tags']): Array<{ Key: string; Value: string }> => tags ?? [];

function attributes(domain: DynamoDbDomain, region: string, name: string): ResourceResult {
  const table = domain.describeTable(region, { TableName: name }).Table;
  return {
    physicalId: name,
    attributes: { Arn: table.TableArn, ...(table.LatestStreamArn ? { StreamArn: table.LatestStreamArn } : {}) },
  };
}

function streamSpec(props: TableProperties): CreateTableInput['StreamSpecification'] {
  const spec = props.StreamSpecification;
  return spec ? { StreamEnabled: true, StreamViewType: spec.StreamViewType } : undefined;
}

/** AWS::DynamoDB::Table. Key schema or name changes replace the table; billing and streams update in place. */
export function tableResource(domain: DynamoDbDomain): ResourceProvider {
  return defineResource({
    type: 'AWS::DynamoDB::Table',
    properties: tableProperties,
    replaceOn: ['TableName', 'KeySchema', 'AttributeDefinitions', 'LocalSecondaryIndexes'],
    async create(ctx, props) {
      const name = props.TableName ?? generatedName(ctx);
      domain.createTable(ctx.region, {
        TableName: name,
        KeySchema: props.KeySchema,
        AttributeDefinitions: props.AttributeDefinitions ?? [],
        BillingMode: props.BillingMode ?? 'PROVISIONED',
        ProvisionedThroughput: props.ProvisionedThroughput,
        StreamSpecification: streamSpec(props),
        SSESpecification: props.SSESpecification ? { Enabled: props.SSESpecification.SSEEnabled, SSEType: props.SSESpecification.SSEType } : undefined,
        GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
        LocalSecondaryIndexes: props.LocalSecondaryIndexes,
        DeletionProtectionEnabled: props.DeletionProtectionEnabled,
        Tags: tagList(props.Tags),
      });
      return attributes(domain, ctx.region, name);
    },
    async update(ctx, physicalId, props, oldProps) {
      const oldStream = streamSpec(oldProps);
      const newStream = streamSpec(props);
      const billingMode = props.BillingMode ?? 'PROVISIONED';
      domain.updateTable(ctx.region, {
        TableName: physicalId,
        BillingMode: billingMode,
        ProvisionedThroughput: billingMode === 'PROVISIONED' ? props.ProvisionedThroughput : undefined,
        DeletionProtectionEnabled: props.DeletionProtectionEnabled,
      });
      if (oldStream?.StreamViewType !== newStream?.StreamViewType) {
        if (oldStream) domain.updateTable(ctx.region, { TableName: physicalId, StreamSpecification: { StreamEnabled: false } });
        if (newStream) domain.updateTable(ctx.region, { TableName: physicalId, StreamSpecification: newStream });
      }
      const arn = domain.tableArn(ctx.region, physicalId);
      const oldTags = tagList(oldProps.Tags);
      const removed = oldTags.filter((t) => !tagList(props.Tags).some((n) => n.Key === t.Key)).map((t) => t.Key);
      if (removed.length) domain.untagResource(ctx.region, { ResourceArn: arn, TagKeys: removed });
      if (tagList(props.Tags).length) domain.tagResource(ctx.region, { ResourceArn: arn, Tags: tagList(props.Tags) });
      return attributes(domain, ctx.region, physicalId);
    },
    async delete(ctx, physicalId) {
      if (!domain.hasTable(ctx.region, physicalId)) return;
      domain.deleteTable(ctx.region, { TableName: physicalId });
    },
  });
}

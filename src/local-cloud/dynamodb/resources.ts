import { randomBytes } from 'node:crypto';
import type { ResourceContext, ResourceProvider, ResourceResult } from '../types.js';
import type { DynamoDbDomain } from './domain.js';
import type { CreateTableInput } from './tables.js';

// CloudFormation's generated names: stack-logicalId-RANDOM, upper-case suffix, ≤ 255 chars.
function generatedName(ctx: ResourceContext): string {
  const suffix = randomBytes(9).toString('base64').replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 12);
  return `${ctx.stackName}-${ctx.logicalId}-${suffix}`.slice(0, 255);
}

function tagList(tags: unknown): Array<{ Key: string; Value: string }> {
  return Array.isArray(tags) ? tags.map((t) => ({ Key: String(t.Key), Value: String(t.Value) })) : [];
}

function attributes(domain: DynamoDbDomain, region: string, name: string): ResourceResult {
  const table = domain.describeTable(region, { TableName: name }).Table;
  return {
    physicalId: name,
    attributes: { Arn: table.TableArn, ...(table.LatestStreamArn ? { StreamArn: table.LatestStreamArn } : {}) },
  };
}

function numberOrUndefined(value: unknown): number | undefined {
  return value === undefined ? undefined : Number(value);
}

// Template values arrive as strings or numbers; the API wants numbers for capacity units.
function throughput(props: Record<string, any>): CreateTableInput['ProvisionedThroughput'] {
  const pt = props.ProvisionedThroughput;
  return pt ? { ReadCapacityUnits: numberOrUndefined(pt.ReadCapacityUnits), WriteCapacityUnits: numberOrUndefined(pt.WriteCapacityUnits) } : undefined;
}

function streamSpec(props: Record<string, any>): CreateTableInput['StreamSpecification'] {
  const spec = props.StreamSpecification;
  return spec?.StreamViewType ? { StreamEnabled: true, StreamViewType: spec.StreamViewType } : undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true';
}

/** AWS::DynamoDB::Table. Key schema or name changes replace the table; billing and streams update in place. */
export function tableResource(domain: DynamoDbDomain): ResourceProvider {
  return {
    type: 'AWS::DynamoDB::Table',
    replaceOn: ['TableName', 'KeySchema', 'AttributeDefinitions', 'LocalSecondaryIndexes'],
    async create(ctx, props) {
      const name: string = props.TableName ?? generatedName(ctx);
      domain.createTable(ctx.region, {
        TableName: name,
        KeySchema: props.KeySchema,
        AttributeDefinitions: props.AttributeDefinitions,
        BillingMode: props.BillingMode ?? 'PROVISIONED',
        ProvisionedThroughput: throughput(props),
        StreamSpecification: streamSpec(props),
        SSESpecification: props.SSESpecification ? { Enabled: bool(props.SSESpecification.SSEEnabled), SSEType: props.SSESpecification.SSEType } : undefined,
        GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
        LocalSecondaryIndexes: props.LocalSecondaryIndexes,
        DeletionProtectionEnabled: props.DeletionProtectionEnabled === undefined ? undefined : bool(props.DeletionProtectionEnabled),
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
        ProvisionedThroughput: billingMode === 'PROVISIONED' ? throughput(props) : undefined,
        DeletionProtectionEnabled: props.DeletionProtectionEnabled === undefined ? undefined : bool(props.DeletionProtectionEnabled),
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
  };
}

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AwsError } from '../../aws-error.js';
import { defineResource } from '../../cloudformation/resource-properties.js';
import { cfnBoolean, cfnIgnoredObject, cfnString, cfnTags } from '../../cloudformation/property-types.js';
import type { ResourceContext, ResourceProvider } from '../../types.js';
import type { DynamoDbDomain } from '../domain.js';
import { attributeDefinitions, billingMode, globalTableGlobalSecondaryIndexes, keySchema, localSecondaryIndexes, streamSpecification, timeToLive } from '../resource-schema.js';
import type { GlobalTables } from './domain.js';

// AWS::DynamoDB::GlobalTable: the table in the stack's region, then one replica per call, each
// waited for until ACTIVE on the cloud clock (as CloudFormation waits), in the listed order.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html
// Every property of the type is declared; MultiRegionConsistency stays a String so that a wrong
// value fails with the explanation below rather than the registry's enum text.
const replica = z.strictObject({
  ContributorInsightsSpecification: cfnIgnoredObject().optional(),
  DeletionProtectionEnabled: cfnBoolean().optional(),
  GlobalSecondaryIndexes: z.array(cfnIgnoredObject()).optional(),
  KinesisStreamSpecification: cfnIgnoredObject().optional(),
  PointInTimeRecoverySpecification: cfnIgnoredObject().optional(),
  ReadOnDemandThroughputSettings: cfnIgnoredObject().optional(),
  ReadProvisionedThroughputSettings: cfnIgnoredObject().optional(),
  Region: cfnString(),
  ReplicaStreamSpecification: cfnIgnoredObject().optional(),
  ResourcePolicy: cfnIgnoredObject().optional(),
  SSESpecification: cfnIgnoredObject().optional(),
  TableClass: cfnString().optional(),
  Tags: cfnTags().optional(),
  WarmThroughput: cfnIgnoredObject().optional(),
});
const globalTableProperties = z.strictObject({
  AttributeDefinitions: attributeDefinitions,
  BillingMode: billingMode.optional(),
  GlobalSecondaryIndexes: globalTableGlobalSecondaryIndexes.optional(),
  GlobalTableWitnesses: z.array(z.strictObject({ Region: cfnString() })).optional(),
  KeySchema: keySchema,
  LocalSecondaryIndexes: localSecondaryIndexes.optional(),
  MultiRegionConsistency: cfnString().optional(),
  Replicas: z.array(replica),
  SSESpecification: z.strictObject({ SSEEnabled: cfnBoolean(), SSEType: cfnString().optional() }).optional(),
  StreamSpecification: streamSpecification.optional(),
  TableName: cfnString().optional(),
  TimeToLiveSpecification: timeToLive.optional(),
  WarmThroughput: cfnIgnoredObject().optional(),
  WriteOnDemandThroughputSettings: cfnIgnoredObject().optional(),
  WriteProvisionedThroughputSettings: cfnIgnoredObject().optional(),
});
type GlobalTableProperties = z.infer<typeof globalTableProperties>;

const fail = (message: string) => new AwsError('ValidationException', message);

function generatedName(ctx: ResourceContext): string {
  const suffix = randomBytes(9).toString('base64').replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 12);
  return `${ctx.stackName}-${ctx.logicalId}-${suffix}`.slice(0, 255);
}

function replicaRegions(ctx: ResourceContext, props: GlobalTableProperties): string[] {
  const replicas = props.Replicas;
  if (replicas.length === 0) throw fail('Property Replicas cannot be empty.');
  const regions = replicas.map((r) => r.Region);
  if (new Set(regions).size !== regions.length) throw fail(`Replicas lists a region more than once: ${regions.join(', ')}`);
  if (!regions.includes(ctx.region))
    throw fail(`Replicas must include the region the stack is deployed in (${ctx.region}); it lists ${regions.join(', ')}.`);
  return regions;
}

function checkProps(props: GlobalTableProperties, regions: string[]): void {
  if ((props.BillingMode ?? 'PROVISIONED') !== 'PAY_PER_REQUEST')
    throw fail(
      'BillingMode PROVISIONED needs WriteProvisionedThroughputSettings with auto scaling, which the local cloud does not implement; use BillingMode PAY_PER_REQUEST (global table write capacity must be on-demand or auto-scaled).',
    );
  const strong = props.MultiRegionConsistency === 'STRONG';
  if (props.MultiRegionConsistency !== undefined && props.MultiRegionConsistency !== 'EVENTUAL' && !strong)
    throw fail(`MultiRegionConsistency must be EVENTUAL or STRONG, not ${String(props.MultiRegionConsistency)}.`);
  if (!strong && regions.length > 1 && props.StreamSpecification?.StreamViewType !== 'NEW_AND_OLD_IMAGES')
    throw fail('StreamSpecification with StreamViewType NEW_AND_OLD_IMAGES is required when a global table has more than one replica.');
  if (!strong && witnessOf(props) !== undefined) throw fail('GlobalTableWitnesses requires MultiRegionConsistency STRONG.');
}

function witnessOf(props: GlobalTableProperties): string | undefined {
  const witnesses = props.GlobalTableWitnesses ?? [];
  if (witnesses.length === 0) return undefined;
  if (witnesses.length > 1) throw fail('An MRSC global table has at most one witness.');
  return witnesses[0]!.Region;
}

export function globalTableResource(tables: DynamoDbDomain, global: GlobalTables): ResourceProvider {
  const sleep = (ctx: ResourceContext, ms: number) => new Promise<void>((resolve) => ctx.cloud.clock.after(ms, resolve));
  const waitActive = async (ctx: ResourceContext, name: string): Promise<void> => {
    for (;;) {
      const g = global.group(ctx.region, name);
      if (!g || Object.values(g.replicas).every((r) => r.status === 'ACTIVE')) return;
      await sleep(ctx, 5_000);
    }
  };
  const attributes = (ctx: ResourceContext, name: string) => {
    const t = tables.describeTable(ctx.region, { TableName: name }).Table;
    return { physicalId: name, attributes: { Arn: t.TableArn, StreamArn: t.LatestStreamArn, TableId: t.TableId } };
  };
  const addReplica = async (ctx: ResourceContext, name: string, region: string) => {
    await waitActive(ctx, name);
    global.updateReplicas(ctx.region, { TableName: name, ReplicaUpdates: [{ Create: { RegionName: region } }] });
    await waitActive(ctx, name);
  };
  const removeReplica = async (ctx: ResourceContext, name: string, region: string) => {
    await waitActive(ctx, name);
    if (!global.group(ctx.region, name)?.replicas[region]) return;
    global.updateReplicas(ctx.region, { TableName: name, ReplicaUpdates: [{ Delete: { RegionName: region } }] });
    while (global.group(ctx.region, name)?.replicas[region]) await sleep(ctx, 5_000);
  };
  return defineResource({
    type: 'AWS::DynamoDB::GlobalTable',
    properties: globalTableProperties,
    replaceOn: ['TableName', 'KeySchema', 'AttributeDefinitions', 'LocalSecondaryIndexes'],
    async create(ctx, props) {
      const regions = replicaRegions(ctx, props);
      checkProps(props, regions);
      const name = props.TableName ?? generatedName(ctx);
      tables.createTable(ctx.region, {
        TableName: name,
        KeySchema: props.KeySchema,
        AttributeDefinitions: props.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: props.StreamSpecification ? { StreamEnabled: true, StreamViewType: props.StreamSpecification.StreamViewType } : undefined,
        GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
        LocalSecondaryIndexes: props.LocalSecondaryIndexes,
        SSESpecification: props.SSESpecification ? { Enabled: props.SSESpecification.SSEEnabled, SSEType: props.SSESpecification.SSEType } : undefined,
      });
      const others = regions.filter((r) => r !== ctx.region);
      if (props.MultiRegionConsistency === 'STRONG') {
        // MRSC: every replica and the witness in one call, then wait for all of them.
        const witness = witnessOf(props);
        global.updateReplicas(ctx.region, {
          TableName: name,
          MultiRegionConsistency: 'STRONG',
          ReplicaUpdates: others.map((RegionName) => ({ Create: { RegionName } })),
          ...(witness !== undefined ? { GlobalTableWitnessUpdates: [{ Create: { RegionName: witness } }] } : {}),
        });
        await waitActive(ctx, name);
      } else for (const region of others) await addReplica(ctx, name, region);
      return attributes(ctx, name);
    },
    async update(ctx, physicalId, props, oldProps) {
      const regions = replicaRegions(ctx, props);
      checkProps(props, regions);
      if (props.StreamSpecification?.StreamViewType !== oldProps.StreamSpecification?.StreamViewType)
        throw fail('The stream of a global table cannot be changed in place.');
      const current = Object.keys(global.group(ctx.region, physicalId)?.replicas ?? { [ctx.region]: true });
      if (props.MultiRegionConsistency === 'STRONG' || oldProps.MultiRegionConsistency === 'STRONG') {
        const same = JSON.stringify([...regions].sort()) === JSON.stringify([...current].sort()) && witnessOf(props) === witnessOf(oldProps) && props.MultiRegionConsistency === oldProps.MultiRegionConsistency;
        if (!same) throw fail('The replicas, witness and consistency mode of an MRSC global table cannot be changed in place; replace the table.');
        return attributes(ctx, physicalId);
      }
      for (const region of regions) if (!current.includes(region)) await addReplica(ctx, physicalId, region);
      for (const region of current) if (!regions.includes(region)) await removeReplica(ctx, physicalId, region);
      return attributes(ctx, physicalId);
    },
    async delete(ctx, physicalId) {
      if (!tables.hasTable(ctx.region, physicalId)) return;
      // Replicas go before the table (an MRSC table loses all of them, and its witness, in one call).
      const g = global.group(ctx.region, physicalId);
      if (g?.consistency === 'STRONG') {
        await waitActive(ctx, physicalId);
        const others = Object.keys(g.replicas).filter((r) => r !== ctx.region);
        global.updateReplicas(ctx.region, {
          TableName: physicalId,
          ReplicaUpdates: others.map((RegionName) => ({ Delete: { RegionName } })),
          ...(g.witness ? { GlobalTableWitnessUpdates: [{ Delete: { RegionName: g.witness.region } }] } : {}),
        });
        while (global.group(ctx.region, physicalId)) await sleep(ctx, 5_000);
      } else
        for (const region of Object.keys(g?.replicas ?? {}))
          if (region !== ctx.region) await removeReplica(ctx, physicalId, region);
      if (tables.hasTable(ctx.region, physicalId)) tables.deleteTable(ctx.region, { TableName: physicalId });
    },
  });
}

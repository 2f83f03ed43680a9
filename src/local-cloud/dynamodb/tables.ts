import { randomUUID } from 'node:crypto';
import { AwsError, validation } from '../aws-error.js';
import type { AttributeDefinition, IndexState, KeySchemaElement, TableState } from './model.js';
import { dict, dictFrom } from '../keyed.js';

export interface CreateTableInput {
  TableName: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  BillingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  StreamSpecification?: { StreamEnabled?: boolean; StreamViewType?: string };
  SSESpecification?: { Enabled?: boolean; SSEType?: string; KMSMasterKeyId?: string };
  GlobalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeySchemaElement[]; Projection?: IndexState['projection'] }>;
  LocalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeySchemaElement[]; Projection?: IndexState['projection'] }>;
  DeletionProtectionEnabled?: boolean;
  Tags?: Array<{ Key: string; Value: string }>;
}

const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'];

export function checkTableName(name: unknown, field = 'tableName'): asserts name is string {
  if (typeof name !== 'string' || name.length < 3 || name.length > 255 || !/^[a-zA-Z0-9_.-]+$/.test(name)) {
    throw validation(
      `1 validation error detected: Value '${String(name)}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and length between 3 and 255`,
    );
  }
}

function checkKeySchema(schema: KeySchemaElement[] | undefined, defs: AttributeDefinition[], what: string): void {
  if (!Array.isArray(schema) || schema.length < 1 || schema.length > 2)
    throw validation(`1 validation error detected: Value '${JSON.stringify(schema)}' at '${what}' failed to satisfy constraint: Member must have length less than or equal to 2`);
  if (schema[0]!.KeyType !== 'HASH') throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (schema[1] && schema[1].KeyType !== 'RANGE') throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (schema[1] && schema[1].AttributeName === schema[0]!.AttributeName)
    throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  const missing = schema.filter((k) => !defs.some((d) => d.AttributeName === k.AttributeName));
  if (missing.length)
    throw validation(
      `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.map((k) => k.AttributeName).join(', ')}], AttributeDefinitions: [${defs.map((d) => d.AttributeName).join(', ')}]`,
    );
}

export function streamLabel(now: number): string {
  return new Date(now).toISOString().replace('Z', '');
}

/** Validate a CreateTable request and build the table, in the order DynamoDB checks. */
export function newTable(input: CreateTableInput, now: number): TableState {
  checkTableName(input.TableName);
  const defs = input.AttributeDefinitions ?? [];
  for (const d of defs)
    if (!['S', 'N', 'B'].includes(d.AttributeType))
      throw validation(`1 validation error detected: Value '${d.AttributeType}' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`);
  checkKeySchema(input.KeySchema, defs, 'keySchema');
  const indexes: IndexState[] = [];
  for (const [list, global] of [[input.GlobalSecondaryIndexes, true], [input.LocalSecondaryIndexes, false]] as const) {
    for (const index of list ?? []) {
      checkKeySchema(index.KeySchema, defs, 'indexKeySchema');
      indexes.push({ name: index.IndexName, keySchema: index.KeySchema, projection: index.Projection ?? { ProjectionType: 'ALL' }, global });
    }
  }
  const used = new Set([...input.KeySchema, ...indexes.flatMap((i) => i.keySchema)].map((k) => k.AttributeName));
  if (defs.length !== used.size || defs.some((d) => !used.has(d.AttributeName)))
    throw validation('One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  const billingMode = input.BillingMode ?? 'PROVISIONED';
  if (billingMode !== 'PROVISIONED' && billingMode !== 'PAY_PER_REQUEST')
    throw validation(`1 validation error detected: Value '${String(billingMode)}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]`);
  const throughput = input.ProvisionedThroughput;
  if (billingMode === 'PAY_PER_REQUEST' && throughput)
    throw validation('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  if (billingMode === 'PROVISIONED' && !(throughput?.ReadCapacityUnits && throughput.WriteCapacityUnits))
    throw validation('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  const table: TableState = {
    name: input.TableName,
    id: randomUUID(),
    createdAt: now,
    keySchema: input.KeySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    attributeDefinitions: defs.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
    billingMode,
    deletionProtection: input.DeletionProtectionEnabled === true,
    indexes,
    tags: dictFrom((input.Tags ?? []).map((t) => [t.Key, t.Value] as const)),
    items: dict(),
  };
  if (throughput && billingMode === 'PROVISIONED') table.provisioned = { read: throughput.ReadCapacityUnits!, write: throughput.WriteCapacityUnits! };
  applyStreamSpecification(table, input.StreamSpecification, now, true);
  if (input.SSESpecification?.Enabled)
    table.sse = { enabled: true, type: input.SSESpecification.SSEType ?? 'KMS', kmsKeyId: input.SSESpecification.KMSMasterKeyId };
  return table;
}

export function applyStreamSpecification(
  table: TableState,
  spec: CreateTableInput['StreamSpecification'],
  now: number,
  creating: boolean,
): void {
  if (!spec) return;
  if (spec.StreamEnabled) {
    if (!spec.StreamViewType || !STREAM_VIEW_TYPES.includes(spec.StreamViewType))
      throw validation('One or more parameter values were invalid: StreamViewType must be one of NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY when StreamEnabled is true');
    if (!creating && table.stream) throw new AwsError('ValidationException', `Table already has an enabled stream: TableName: ${table.name}`);
    table.stream = { viewType: spec.StreamViewType, label: streamLabel(now) };
  } else {
    if (spec.StreamViewType) throw validation('One or more parameter values were invalid: StreamViewType cannot be specified when StreamEnabled is false');
    if (!creating && !table.stream) throw validation(`Table already has no enabled stream: TableName: ${table.name}`);
    delete table.stream;
  }
}

export function tableArn(region: string, accountId: string, name: string): string {
  return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
}

// TableStatus is ACTIVE immediately: the local cloud creates tables synchronously, so waiters
// and CloudFormation never need to poll through CREATING.
export function describeTable(table: TableState, region: string, accountId: string, status = 'ACTIVE'): Record<string, unknown> {
  const arn = tableArn(region, accountId, table.name);
  const items = Object.values(table.items);
  const throughput = {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: table.provisioned?.read ?? 0,
    WriteCapacityUnits: table.provisioned?.write ?? 0,
  };
  const describeIndex = (index: IndexState) => ({
    IndexName: index.name,
    KeySchema: index.keySchema,
    Projection: index.projection,
    IndexArn: `${arn}/index/${index.name}`,
    IndexSizeBytes: 0,
    ItemCount: items.filter((item) => index.keySchema.every((k) => item[k.AttributeName])).length,
    ...(index.global ? { IndexStatus: 'ACTIVE', ProvisionedThroughput: throughput } : {}),
  });
  const gsis = table.indexes.filter((i) => i.global).map(describeIndex);
  const lsis = table.indexes.filter((i) => !i.global).map(describeIndex);
  return {
    TableName: table.name,
    TableArn: arn,
    TableId: table.id,
    TableStatus: status,
    CreationDateTime: table.createdAt / 1000,
    KeySchema: table.keySchema,
    AttributeDefinitions: table.attributeDefinitions,
    ItemCount: items.length,
    TableSizeBytes: items.reduce((n, item) => n + JSON.stringify(item).length, 0),
    ProvisionedThroughput: throughput,
    BillingModeSummary: {
      BillingMode: table.billingMode,
      ...(table.billingMode === 'PAY_PER_REQUEST' ? { LastUpdateToPayPerRequestDateTime: (table.billingModeChangedAt ?? table.createdAt) / 1000 } : {}),
    },
    ...(table.stream
      ? {
          StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream.viewType },
          LatestStreamLabel: table.stream.label,
          LatestStreamArn: `${arn}/stream/${table.stream.label}`,
        }
      : {}),
    ...(table.sse ? { SSEDescription: { Status: 'ENABLED', SSEType: table.sse.type ?? 'KMS', KMSMasterKeyArn: table.sse.kmsKeyId } } : {}),
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
    DeletionProtectionEnabled: table.deletionProtection,
    Replicas: [],
  };
}

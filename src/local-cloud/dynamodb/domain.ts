import { AwsError, validation } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { clone, normalizeItem, valuesEqual, type AttributeValue, type Item } from './attribute-value.js';
import { ExpressionContext } from './expressions/context.js';
import type { Condition, Path } from './expressions/ast.js';
import { evaluateCondition } from './expressions/evaluate.js';
import { parseKeyCondition } from './expressions/key-condition.js';
import { parseCondition, parseProjection, parseUpdate } from './expressions/parser.js';
import { project } from './expressions/projection.js';
import { applyUpdate, assertNoOverlap, updatedPaths } from './expressions/update.js';
import { checkItem, checkValues } from './item-validation.js';
import { checkItemKeys, checkKey, extractKey, keyNames, keyString, tableKeyNames } from './keys.js';
import { runRead, segmentFilter, type ReadResult } from './reads.js';
import { batchGetItem, batchWriteItem, type BatchGetItemInput, type BatchWriteItemInput } from './batch.js';
import type { DeleteItemInput, ExpressionInput, GetItemInput, ItemChangeHook, PutItemInput, QueryInput, ScanInput, UpdateItemInput } from './inputs.js';
import { initialState, type DynamoDbState, type TableState } from './model.js';
import { applyStreamSpecification, checkTableName, describeTable, newTable, tableArn, type CreateTableInput } from './tables.js';
import { dict, keyedState } from '../keyed.js';
import type { DynamoDbStreams } from './streams/domain.js';
import type { GlobalTables } from './global-tables/domain.js';

export type { DeleteItemInput, GetItemInput, ItemChange, ItemChangeHook, PutItemInput, QueryInput, ScanInput, UpdateItemInput } from './inputs.js';

const notFound = (detail?: string) =>
  new AwsError('ResourceNotFoundException', detail ? `Requested resource not found: ${detail}` : 'Requested resource not found');

const arnRegion = (arn: string): string => arn.split(':')[3]!;

const LEGACY = ['Expected', 'AttributeUpdates', 'KeyConditions', 'QueryFilter', 'ScanFilter', 'AttributesToGet'];

/** DynamoDB's behaviour, per region. Methods mirror the API operations and throw AwsError. */
export class DynamoDbDomain {
  /** Fired after every item write that changed something (streams and global tables hook in here). */
  onItemChange?: ItemChangeHook;
  /** The DynamoDB Streams of these tables (streams/), attached by the service factory. */
  streams?: DynamoDbStreams;
  /** Global tables (global-tables/), attached by the service factory. */
  globalTables?: GlobalTables;
  /** Called before an item write changes anything; may refuse it (MRSC: no quorum, conflicting write). */
  beforeItemWrite?: (region: string, table: string, keys: Item) => void;
  /** Called before a strongly consistent read; may refuse it (MRSC: no quorum). */
  beforeStrongRead?: (region: string, table: string) => void;
  /**
   * Called on every access to a table (each operation, stream read and replicated write looks it up
   * first), except while a write's change hooks run: global tables deliver what is due there.
   */
  beforeAccess?: (region: string, table: string) => void;
  private inChangeHooks = false;

  constructor(private readonly ctx: CloudContext) {}

  private get state(): DynamoDbState {
    return keyedState(this.ctx.state, 'dynamodb', initialState);
  }

  /** Declare a change to a table (or a part of it: 'items', key) for the state's write barrier. */
  private changed(region: string, table: string, ...path: string[]): void {
    this.ctx.state.changed('dynamodb', 'tables', region, table, ...path);
  }

  private regionTables(region: string): Record<string, TableState> {
    return (this.state.tables[region] ??= dict());
  }

  /** The stored table, or ResourceNotFoundException. */
  table(region: string, name: string, detail = false): TableState {
    const table = this.regionTables(region)[name];
    if (!table) throw notFound(detail ? `Table: ${name} not found` : undefined);
    if (!this.inChangeHooks) this.beforeAccess?.(region, name);
    return table;
  }

  hasTable(region: string, name: string): boolean {
    return !!this.state.tables[region]?.[name];
  }

  createTable(region: string, input: CreateTableInput): { TableDescription: Record<string, unknown> } {
    const tables = this.regionTables(region);
    if (input?.TableName && tables[input.TableName])
      throw new AwsError('ResourceInUseException', `Table already exists: ${input.TableName}`);
    const table = newTable(input, this.ctx.clock.now());
    tables[table.name] = table;
    this.changed(region, table.name);
    return { TableDescription: describeTable(table, region, this.ctx.accountId) };
  }

  describeTable(region: string, input: { TableName: string }): { Table: Record<string, unknown> } {
    checkTableName(input?.TableName);
    return { Table: describeTable(this.table(region, input.TableName, true), region, this.ctx.accountId) };
  }

  deleteTable(region: string, input: { TableName: string }): { TableDescription: Record<string, unknown> } {
    checkTableName(input?.TableName);
    const table = this.table(region, input.TableName, true);
    if (table.deletionProtection)
      throw validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
    const description = describeTable(table, region, this.ctx.accountId, 'DELETING');
    delete this.regionTables(region)[table.name];
    this.changed(region, table.name);
    return { TableDescription: description };
  }

  listTables(region: string, input: { ExclusiveStartTableName?: string; Limit?: number } = {}): { TableNames: string[]; LastEvaluatedTableName?: string } {
    const limit = input.Limit ?? 100;
    if (limit < 1 || limit > 100)
      throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
    const names = Object.keys(this.regionTables(region))
      .sort()
      .filter((n) => input.ExclusiveStartTableName === undefined || n > input.ExclusiveStartTableName);
    const page = names.slice(0, limit);
    return names.length > limit ? { TableNames: page, LastEvaluatedTableName: page[page.length - 1]! } : { TableNames: page };
  }

  updateTable(
    region: string,
    input: Pick<CreateTableInput, 'TableName' | 'BillingMode' | 'ProvisionedThroughput' | 'StreamSpecification' | 'DeletionProtectionEnabled' | 'SSESpecification'>,
  ): { TableDescription: Record<string, unknown> } {
    checkTableName(input?.TableName);
    const table = this.table(region, input.TableName, true);
    const now = this.ctx.clock.now();
    const mode = input.BillingMode ?? table.billingMode;
    if (mode === 'PAY_PER_REQUEST' && input.ProvisionedThroughput)
      throw validation('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    if (mode === 'PROVISIONED' && table.billingMode === 'PAY_PER_REQUEST' && !input.ProvisionedThroughput)
      throw validation('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
    if (mode !== table.billingMode) table.billingModeChangedAt = now;
    table.billingMode = mode;
    if (mode === 'PAY_PER_REQUEST') delete table.provisioned;
    else if (input.ProvisionedThroughput)
      table.provisioned = { read: input.ProvisionedThroughput.ReadCapacityUnits ?? 0, write: input.ProvisionedThroughput.WriteCapacityUnits ?? 0 };
    applyStreamSpecification(table, input.StreamSpecification, now, false);
    if (input.DeletionProtectionEnabled !== undefined) table.deletionProtection = input.DeletionProtectionEnabled;
    if (input.SSESpecification)
      table.sse = input.SSESpecification.Enabled ? { enabled: true, type: input.SSESpecification.SSEType ?? 'KMS', kmsKeyId: input.SSESpecification.KMSMasterKeyId } : undefined;
    for (const field of ['billingMode', 'billingModeChangedAt', 'provisioned', 'stream', 'sse', 'deletionProtection']) this.changed(region, table.name, field);
    return { TableDescription: describeTable(table, region, this.ctx.accountId, 'UPDATING') };
  }

  /**
   * Set (or, with no image, delete) an item as replication delivers it: no conditions, and the
   * change fires onItemChange like any write (the receiving region's stream records it).
   */
  applyReplicatedItem(region: string, tableName: string, keys: Item, image: Item | undefined): void {
    const table = this.table(region, tableName);
    const key = keyString(table, keys);
    const existing = table.items[key];
    if (!existing && !image) return;
    if (image) table.items[key] = clone(image);
    else delete table.items[key];
    this.changed(region, table.name, 'items', key);
    this.emit(region, table, existing, image);
  }

  // ---- items ----

  private expressions(input: ExpressionInput): ExpressionContext {
    if (input.ExpressionAttributeNames && Object.keys(input.ExpressionAttributeNames).length === 0)
      throw validation('ExpressionAttributeNames must not be empty');
    if (input.ExpressionAttributeValues && Object.keys(input.ExpressionAttributeValues).length === 0)
      throw validation('ExpressionAttributeValues must not be empty');
    checkValues(input.ExpressionAttributeValues);
    return new ExpressionContext(input.ExpressionAttributeNames, normalizeValues(input.ExpressionAttributeValues));
  }

  private checkCondition(existing: Item | undefined, condition: Condition | undefined): void {
    if (condition && !evaluateCondition(existing ?? {}, condition))
      throw new AwsError('ConditionalCheckFailedException', 'The conditional request failed');
  }

  private emit(region: string, table: TableState, oldImage: Item | undefined, newImage: Item | undefined): void {
    if (!this.onItemChange) return;
    if (oldImage && newImage && valuesEqual({ M: oldImage }, { M: newImage })) return;
    const keys = extractKey(table, (newImage ?? oldImage)!);
    const eventName = !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY';
    const outer = this.inChangeHooks;
    this.inChangeHooks = true;
    try {
      this.onItemChange(region, table.name, {
        eventName,
        keys,
        ...(oldImage ? { oldImage: clone(oldImage) } : {}),
        ...(newImage ? { newImage: clone(newImage) } : {}),
      });
    } finally {
      this.inChangeHooks = outer;
    }
  }

  putItem(region: string, input: PutItemInput): { Attributes?: Item } {
    rejectLegacy(input);
    const table = this.table(region, input.TableName);
    checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD']);
    if (!input.Item) throw validation('1 validation error detected: Value null at \'item\' failed to satisfy constraint: Member must not be null');
    checkItem(input.Item);
    const item = normalizeItem(input.Item);
    checkItemKeys(table, item);
    const ctx = this.expressions(input);
    const condition = input.ConditionExpression !== undefined ? parseCondition(input.ConditionExpression, ctx) : undefined;
    ctx.assertAllUsed();
    const key = keyString(table, item);
    this.beforeItemWrite?.(region, table.name, extractKey(table, item));
    const existing = table.items[key];
    this.checkCondition(existing, condition);
    table.items[key] = item;
    this.changed(region, table.name, 'items', key);
    this.emit(region, table, existing, item);
    return input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: clone(existing) } : {};
  }

  getItem(region: string, input: GetItemInput): { Item?: Item } {
    rejectLegacy(input);
    const table = this.table(region, input.TableName);
    const key = normalizeItem(input.Key ?? {});
    checkKey(table, key);
    const ctx = this.expressions(input);
    const projection = input.ProjectionExpression !== undefined ? parseProjection(input.ProjectionExpression, ctx) : undefined;
    ctx.assertAllUsed();
    if (input.ConsistentRead) this.beforeStrongRead?.(region, table.name);
    const item = table.items[keyString(table, key)];
    if (!item) return {};
    return { Item: projection ? project(item, projection) : clone(item) };
  }

  updateItem(region: string, input: UpdateItemInput): { Attributes?: Item } {
    rejectLegacy(input);
    const table = this.table(region, input.TableName);
    checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']);
    const key = normalizeItem(input.Key ?? {});
    checkKey(table, key);
    const ctx = this.expressions(input);
    const actions = input.UpdateExpression !== undefined ? parseUpdate(input.UpdateExpression, ctx) : undefined;
    const condition = input.ConditionExpression !== undefined ? parseCondition(input.ConditionExpression, ctx) : undefined;
    ctx.assertAllUsed();
    const paths: Path[] = actions ? updatedPaths(actions) : [];
    if (actions) assertNoOverlap(actions);
    for (const path of paths) {
      if (tableKeyNames(table).includes(path.elements[0] as string))
        throw validation(`One or more parameter values were invalid: Cannot update attribute ${String(path.elements[0])}. This attribute is part of the key`);
    }
    const storeKey = keyString(table, key);
    this.beforeItemWrite?.(region, table.name, key);
    const existing = table.items[storeKey];
    this.checkCondition(existing, condition);
    const updated = actions ? applyUpdate(existing ?? key, actions) : clone(existing ?? key);
    checkItem(updated);
    table.items[storeKey] = updated;
    this.changed(region, table.name, 'items', storeKey);
    this.emit(region, table, existing, updated);
    switch (input.ReturnValues) {
      case 'ALL_OLD':
        return existing ? { Attributes: clone(existing) } : {};
      case 'ALL_NEW':
        return { Attributes: clone(updated) };
      case 'UPDATED_OLD':
        return nonEmpty(existing ? project(existing, paths) : {});
      case 'UPDATED_NEW':
        return nonEmpty(project(updated, paths));
      default:
        return {};
    }
  }

  deleteItem(region: string, input: DeleteItemInput): { Attributes?: Item } {
    rejectLegacy(input);
    const table = this.table(region, input.TableName);
    checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD']);
    const key = normalizeItem(input.Key ?? {});
    checkKey(table, key);
    const ctx = this.expressions(input);
    const condition = input.ConditionExpression !== undefined ? parseCondition(input.ConditionExpression, ctx) : undefined;
    ctx.assertAllUsed();
    const storeKey = keyString(table, key);
    this.beforeItemWrite?.(region, table.name, key);
    const existing = table.items[storeKey];
    this.checkCondition(existing, condition);
    if (!existing) return {};
    delete table.items[storeKey];
    this.changed(region, table.name, 'items', storeKey);
    this.emit(region, table, existing, undefined);
    return input.ReturnValues === 'ALL_OLD' ? { Attributes: clone(existing) } : {};
  }

  query(region: string, input: QueryInput): ReadResult {
    rejectLegacy(input);
    const table = this.table(region, input.TableName);
    const index = this.index(table, input.IndexName);
    if (input.KeyConditionExpression === undefined)
      throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const ctx = this.expressions(input);
    const names = keyNames(index?.keySchema ?? table.keySchema);
    const key = parseKeyCondition(input.KeyConditionExpression, ctx, names.hash, names.range);
    if (input.ConsistentRead) this.beforeStrongRead?.(region, table.name);
    return this.read(table, index, ctx, input, key.condition, input.ScanIndexForward !== false);
  }

  scan(region: string, input: ScanInput): ReadResult {
    rejectLegacy(input);
    const table = this.table(region, input.TableName);
    const index = this.index(table, input.IndexName);
    if (input.ConsistentRead) this.beforeStrongRead?.(region, table.name);
    return this.read(table, index, this.expressions(input), input, undefined, true);
  }

  private index(table: TableState, name: string | undefined) {
    if (name === undefined) return undefined;
    const index = table.indexes.find((i) => i.name === name);
    if (!index) throw validation(`The table does not have the specified index: ${name}`);
    return index;
  }

  private read(table: TableState, index: TableState['indexes'][number] | undefined, ctx: ExpressionContext, input: ScanInput, keyCondition: Condition | undefined, forward: boolean): ReadResult {
    const filter = input.FilterExpression !== undefined ? parseCondition(input.FilterExpression, ctx, 'FilterExpression') : undefined;
    const projection = input.ProjectionExpression !== undefined ? parseProjection(input.ProjectionExpression, ctx) : undefined;
    ctx.assertAllUsed();
    const select = input.Select ?? (projection ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES');
    if (select === 'COUNT' && projection)
      throw validation('Cannot specify the ProjectionExpression when choosing to get a COUNT');
    if (input.Limit !== undefined && !(input.Limit >= 1))
      throw validation(`1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
    const segment = segmentFilter(input, keyNames(table.keySchema).hash);
    return runRead(table, {
      segment,
      index,
      keyCondition,
      filter,
      projection,
      forward,
      limit: input.Limit,
      exclusiveStartKey: input.ExclusiveStartKey ? normalizeItem(input.ExclusiveStartKey) : undefined,
      select,
    });
  }

  batchWriteItem(region: string, input: BatchWriteItemInput): { UnprocessedItems: Record<string, never> } {
    return batchWriteItem(this, region, input);
  }

  batchGetItem(region: string, input: BatchGetItemInput): { Responses: Record<string, Item[]>; UnprocessedKeys: Record<string, never> } {
    return batchGetItem(this, region, input);
  }

  // ---- tags and odds ----

  private tableByArn(arn: string): TableState {
    const match = /^arn:aws:dynamodb:([^:]+):(\d{12}):table\/([^/]+)$/.exec(arn ?? '');
    if (!match) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
    const table = this.state.tables[match[1]!]?.[match[3]!];
    if (!table) throw notFound(`ResourceArn: ${arn} not found`);
    return table;
  }

  tagResource(_region: string, input: { ResourceArn: string; Tags: Array<{ Key: string; Value: string }> }): Record<string, never> {
    const table = this.tableByArn(input.ResourceArn);
    for (const tag of input.Tags ?? []) table.tags[tag.Key] = tag.Value;
    this.changed(arnRegion(input.ResourceArn), table.name, 'tags');
    return {};
  }

  untagResource(_region: string, input: { ResourceArn: string; TagKeys: string[] }): Record<string, never> {
    const table = this.tableByArn(input.ResourceArn);
    for (const key of input.TagKeys ?? []) delete table.tags[key];
    this.changed(arnRegion(input.ResourceArn), table.name, 'tags');
    return {};
  }

  listTagsOfResource(_region: string, input: { ResourceArn: string }): { Tags: Array<{ Key: string; Value: string }> } {
    const table = this.tableByArn(input.ResourceArn);
    return { Tags: Object.entries(table.tags).map(([Key, Value]) => ({ Key, Value })) };
  }

  describeContinuousBackups(region: string, input: { TableName: string }): Record<string, unknown> {
    this.table(region, input.TableName, true);
    return {
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    };
  }

  tableArn(region: string, name: string): string {
    return tableArn(region, this.ctx.accountId, name);
  }
}

function normalizeValues(values: Record<string, AttributeValue> | undefined): Record<string, AttributeValue> | undefined {
  return values ? normalizeItem(values) : undefined;
}

function checkReturnValues(value: string | undefined, allowed: string[]): void {
  if (value !== undefined && !allowed.includes(value)) throw validation('Return values set to invalid value');
}

function nonEmpty(attributes: Item): { Attributes?: Item } {
  return Object.keys(attributes).length ? { Attributes: attributes } : {};
}

// The legacy (pre-expression) parameters are not emulated; say so instead of ignoring them.
function rejectLegacy(input: object): void {
  const used = LEGACY.find((name) => (input as Record<string, unknown>)[name] !== undefined);
  if (used) throw new AwsError('ValidationException', `The local cloud does not support the legacy parameter ${used}; use expressions instead.`);
}

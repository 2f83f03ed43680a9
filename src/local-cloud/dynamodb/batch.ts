// BatchWriteItem and BatchGetItem: batch-level checks, then each request as its single-item operation.
import { validation } from '../aws-error.js';
import { normalizeItem, type Item } from './attribute-value.js';
import type { DynamoDbDomain } from './domain.js';
import { checkItem } from './item-validation.js';
import { checkItemKeys, checkKey, keyString } from './keys.js';

export interface BatchWriteItemInput {
  RequestItems: Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>>;
}

export interface BatchGetItemInput {
  RequestItems: Record<string, { Keys: Item[]; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ConsistentRead?: boolean }>;
}

/** BatchWriteItem: the whole batch is validated before any write, as DynamoDB rejects it whole. */
export function batchWriteItem(domain: DynamoDbDomain, region: string, input: BatchWriteItemInput): { UnprocessedItems: Record<string, never> } {
  const entries = Object.entries(input?.RequestItems ?? {});
  const total = entries.reduce((n, [, reqs]) => n + reqs.length, 0);
  if (total === 0 || total > 25)
    throw validation(`1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]`);
  // Validate everything first: BatchWriteItem rejects the whole batch on any invalid request.
  for (const [name, requests] of entries) {
    const table = domain.table(region, name);
    const seen = new Set<string>();
    for (const request of requests) {
      const item = request.PutRequest?.Item ?? request.DeleteRequest?.Key;
      if (!item || (request.PutRequest && request.DeleteRequest))
        throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      checkItem(item);
      const normalized = normalizeItem(item);
      if (request.PutRequest) checkItemKeys(table, normalized);
      else checkKey(table, normalized);
      const k = keyString(table, normalized);
      if (seen.has(k)) throw validation('Provided list of item keys contains duplicates');
      seen.add(k);
    }
  }
  for (const [name, requests] of entries) {
    for (const request of requests) {
      if (request.PutRequest) domain.putItem(region, { TableName: name, Item: request.PutRequest.Item });
      else domain.deleteItem(region, { TableName: name, Key: request.DeleteRequest!.Key });
    }
  }
  return { UnprocessedItems: {} };
}

/** BatchGetItem: at most 100 keys, no duplicates per table; each key read as GetItem. */
export function batchGetItem(domain: DynamoDbDomain, region: string, input: BatchGetItemInput): { Responses: Record<string, Item[]>; UnprocessedKeys: Record<string, never> } {
  const entries = Object.entries(input?.RequestItems ?? {});
  const total = entries.reduce((n, [, r]) => n + (r.Keys?.length ?? 0), 0);
  if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
  const responses: Record<string, Item[]> = {};
  for (const [name, request] of entries) {
    const table = domain.table(region, name);
    const seen = new Set<string>();
    for (const key of request.Keys ?? []) {
      const k = keyString(table, normalizeItem(key));
      if (seen.has(k)) throw validation('Provided list of item keys contains duplicates');
      seen.add(k);
    }
    responses[name] = (request.Keys ?? []).flatMap((key) => {
      const found = domain.getItem(region, {
        TableName: name,
        Key: key,
        ProjectionExpression: request.ProjectionExpression,
        ExpressionAttributeNames: request.ExpressionAttributeNames,
      }).Item;
      return found ? [found] : [];
    });
  }
  return { Responses: responses, UnprocessedKeys: {} };
}

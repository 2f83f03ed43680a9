import { validation } from '../aws-error.js';
import { clone, type Item } from './attribute-value.js';
import type { ScanInput } from './inputs.js';
import type { Condition, Path } from './expressions/ast.js';
import { evaluateCondition } from './expressions/evaluate.js';
import { project } from './expressions/projection.js';
import { compareByKeys, keyNames, type KeyNames } from './keys.js';
import type { IndexState, TableState } from './model.js';

export interface ReadPlan {
  index?: IndexState;
  keyCondition?: Condition;
  filter?: Condition;
  projection?: Path[];
  forward: boolean;
  limit?: number;
  exclusiveStartKey?: Item;
  select: string;
  /** Parallel-scan segment membership. */
  segment?: (item: Item) => boolean;
}

export interface ReadResult {
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
}

function startKeyNames(table: TableState, index: IndexState | undefined): string[] {
  const names = [keyNames(table.keySchema), ...(index ? [keyNames(index.keySchema)] : [])];
  return [...new Set(names.flatMap((n) => [n.hash, n.range]).filter((n): n is string => !!n))];
}

function pickKey(item: Item, names: string[]): Item {
  return Object.fromEntries(names.map((n) => [n, clone(item[n]!)]));
}

// Query and Scan share one pipeline: candidate items in key order → key condition → resume
// after ExclusiveStartKey → Limit counts items *evaluated* (before the filter), as in DynamoDB.
export function runRead(table: TableState, plan: ReadPlan): ReadResult {
  const names: KeyNames = keyNames(plan.index?.keySchema ?? table.keySchema);
  const order = compareByKeys(names, table);
  let candidates = Object.values(table.items);
  if (plan.index) candidates = candidates.filter((item) => plan.index!.keySchema.every((k) => item[k.AttributeName]));
  if (plan.segment) candidates = candidates.filter(plan.segment);
  if (plan.keyCondition) candidates = candidates.filter((item) => evaluateCondition(item, plan.keyCondition!));
  candidates.sort(order);
  if (!plan.forward) candidates.reverse();
  const keyAttrs = startKeyNames(table, plan.index);
  if (plan.exclusiveStartKey) {
    const start = plan.exclusiveStartKey;
    if (!keyAttrs.every((n) => start[n]) || Object.keys(start).length !== keyAttrs.length)
      throw validation('The provided starting key is invalid: The provided key element does not match the schema');
    candidates = candidates.filter((item) => (plan.forward ? order(item, start) > 0 : order(item, start) < 0));
  }
  const limit = plan.limit ?? Infinity;
  const evaluated = candidates.slice(0, limit);
  const matched = plan.filter ? evaluated.filter((item) => evaluateCondition(item, plan.filter!)) : evaluated;
  const result: ReadResult = { Count: matched.length, ScannedCount: evaluated.length };
  if (plan.select !== 'COUNT') {
    result.Items = matched.map((item) => (plan.projection ? project(item, plan.projection) : clone(item)));
  }
  if (candidates.length > evaluated.length && evaluated.length > 0) result.LastEvaluatedKey = pickKey(evaluated[evaluated.length - 1]!, keyAttrs);
  return result;
}

// Parallel scan: each segment owns the hash keys whose stable hash falls in it, so segments are
// disjoint and together cover the table, as in DynamoDB.
export function segmentFilter(input: ScanInput, hashKey: string): ((item: Item) => boolean) | undefined {
  const { Segment, TotalSegments } = input;
  if (Segment === undefined && TotalSegments === undefined) return undefined;
  if (Segment === undefined || TotalSegments === undefined)
    throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  if (!(TotalSegments >= 1 && TotalSegments <= 1000000))
    throw validation(`1 validation error detected: Value '${TotalSegments}' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000`);
  if (!(Segment >= 0 && Segment < TotalSegments))
    throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${Segment} is not less than TotalSegments: ${TotalSegments}`);
  return (item) => {
    const text = JSON.stringify(item[hashKey] ?? null);
    let hash = 0;
    for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
    return hash % TotalSegments === Segment;
  };
}

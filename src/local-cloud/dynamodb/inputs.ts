// The item operations' inputs as the wire sends them, and the change every write reports (streams,
// global tables).
import type { AttributeValue, Item } from './attribute-value.js';

export interface ItemChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
}

export type ItemChangeHook = (region: string, table: string, change: ItemChange) => void;

export interface ExpressionInput {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

interface WriteInput extends ExpressionInput {
  TableName: string;
  ConditionExpression?: string;
  ReturnValues?: string;
}

export interface PutItemInput extends WriteInput {
  Item: Item;
}
export interface GetItemInput extends ExpressionInput {
  TableName: string;
  Key: Item;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
}
export interface UpdateItemInput extends WriteInput {
  Key: Item;
  UpdateExpression?: string;
}
export interface DeleteItemInput extends WriteInput {
  Key: Item;
}
export interface QueryInput extends ExpressionInput {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ScanIndexForward?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Item;
  Select?: string;
  ConsistentRead?: boolean;
}
export type ScanInput = Omit<QueryInput, 'KeyConditionExpression' | 'ScanIndexForward'> & { Segment?: number; TotalSegments?: number };

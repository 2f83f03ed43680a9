import type { Item } from './attribute-value.js';
import { dict } from '../keyed.js';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: 'S' | 'N' | 'B';
}

export interface IndexState {
  name: string;
  keySchema: KeySchemaElement[];
  projection: { ProjectionType?: string; NonKeyAttributes?: string[] };
  global: boolean;
}

export interface TableState {
  name: string;
  id: string;
  createdAt: number;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  billingModeChangedAt?: number;
  provisioned?: { read: number; write: number };
  stream?: { viewType: string; label: string };
  sse?: { enabled: boolean; type?: string; kmsKeyId?: string };
  deletionProtection: boolean;
  indexes: IndexState[];
  tags: Record<string, string>;
  /** Items by canonical key string (see keyString). */
  items: Record<string, Item>;
}

export interface DynamoDbState {
  /** region → table name → table. */
  tables: Record<string, Record<string, TableState>>;
}

export const initialState = (): DynamoDbState => ({ tables: dict() });

// The persisted shape of DynamoDB Streams: its own document ('dynamodb-streams'), apart from tables.
import type { Item } from '../attribute-value.js';
import type { KeySchemaElement } from '../model.js';

export interface StoredRecord {
  /** 21-digit decimal sequence number, fixed width so string order is numeric order. */
  seq: string;
  /** Cloud time of the write (ms). */
  at: number;
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
  sizeBytes: number;
}

export interface ShardState {
  id: string;
  parent?: string;
  createdAt: number;
  /** The first sequence number the shard can hold (reserved when the shard opens). */
  startSeq: string;
  /** Set when the shard closes (rollover or stream disabled): the last sequence number it holds. */
  endSeq?: string;
  closedAt?: number;
  /** The sequence number of the last record trimmed away (older than 24 h), if any. */
  trimmedThrough?: string;
  records: StoredRecord[];
}

export interface StreamState {
  arn: string;
  tableName: string;
  label: string;
  viewType: string;
  keySchema: KeySchemaElement[];
  createdAt: number;
  /** When the stream was disabled (table stream turned off, replaced, or table deleted). */
  disabledAt?: number;
  shards: ShardState[];
}

export interface StreamsState {
  /** Last sequence number handed out (all streams of the cloud share one counter). */
  counter: number;
  /** region → stream ARN → stream. */
  regions: Record<string, Record<string, StreamState>>;
}

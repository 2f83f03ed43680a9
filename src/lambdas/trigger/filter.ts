import { LATCH, ORIGIN, unmarshall, type Item } from '../things/attributes.js';

/** One DynamoDB stream record as Lambda delivers it. */
export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: {
    Keys?: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    ApproximateCreationDateTime?: number;
  };
}

/** The domain event the trigger publishes (seed: id, type, timestamp, partitionKey, tags, thing). */
export interface ThingEvent {
  id: string;
  type: 'thing-created' | 'thing-updated' | 'thing-deleted';
  timestamp: number;
  partitionKey: string;
  tags: { region: string; source: string };
  thing: { old?: Record<string, unknown>; new?: Record<string, unknown> };
}

/**
 * The image that says where a change came from: the new one, or for a delete the last one written
 * (a delete carries no stamp of its own, so it is published where the item's last write was made).
 */
function stampOf(record: StreamRecord): Item | undefined {
  return record.eventName === 'REMOVE' ? record.dynamodb.OldImage : record.dynamodb.NewImage;
}

/**
 * Publish only what this region wrote itself, with the latch open: every replica sees every write,
 * so without the origin check each write would be published once per region; without the latch a
 * listener's write of someone else's event would be published again.
 */
export function shouldPublish(record: StreamRecord, region: string): boolean {
  const stamp = stampOf(record);
  const origin = stamp?.[ORIGIN];
  const latch = stamp?.[LATCH];
  return origin !== undefined && 'S' in origin && origin.S === region && latch !== undefined && 'S' in latch && latch.S === 'open';
}

const TYPES = { INSERT: 'thing-created', MODIFY: 'thing-updated', REMOVE: 'thing-deleted' } as const;

export function toEvent(record: StreamRecord, region: string, source: string): ThingEvent {
  const keys = unmarshall(record.dynamodb.Keys) ?? {};
  return {
    id: record.eventID,
    type: TYPES[record.eventName],
    timestamp: (record.dynamodb.ApproximateCreationDateTime ?? 0) * 1000,
    partitionKey: String(keys.id ?? ''),
    tags: { region, source },
    thing: { old: unmarshall(record.dynamodb.OldImage), new: unmarshall(record.dynamodb.NewImage) },
  };
}

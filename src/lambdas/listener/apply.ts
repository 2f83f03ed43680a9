import type { ThingEvent } from '../trigger/filter.js';

/** What the listener does with one event: skip it, or write this item with the latch closed. */
export type Decision = { skip: string } | { write: Record<string, unknown> };

export function decide(event: ThingEvent, ownSource: string, region: string): Decision {
  if (event.tags?.source === ownSource) return { skip: 'own source' };
  if (event.type === 'thing-deleted') return { skip: 'deletes are not applied' };
  if (!event.partitionKey) return { skip: 'no partitionKey' };
  // Closed latch: the trigger does not publish this write again (it is someone else's event).
  return { write: { ...(event.thing?.new ?? {}), id: event.partitionKey, origin: region, latch: 'closed', appliedEvent: event.id } };
}

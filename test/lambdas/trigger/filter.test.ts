// The trigger's filters: publish a change only where it was made (origin = this region) and only
// with the latch open; the listener skips its own source and writes with the latch closed.
import { describe, expect, it } from 'vitest';
import { shouldPublish, toEvent, type StreamRecord } from '../../../src/lambdas/trigger/filter.js';
import { decide } from '../../../src/lambdas/listener/apply.js';
import { marshall, unmarshall } from '../../../src/lambdas/things/attributes.js';

const record = (eventName: StreamRecord['eventName'], images: { old?: Record<string, unknown>; new?: Record<string, unknown> }): StreamRecord => ({
  eventID: 'e1',
  eventName,
  dynamodb: {
    Keys: marshall({ id: 'thing-1' }),
    ...(images.new ? { NewImage: marshall(images.new) } : {}),
    ...(images.old ? { OldImage: marshall(images.old) } : {}),
    SequenceNumber: '000000000000000000001',
    ApproximateCreationDateTime: 1767225600,
  },
});

describe('trigger origin filter', () => {
  it('publishes a write made in its own region', () => {
    expect(shouldPublish(record('INSERT', { new: { id: 'thing-1', origin: 'us-east-1', latch: 'open' } }), 'us-east-1')).toBe(true);
  });
  it('skips the same write replicated into another region', () => {
    expect(shouldPublish(record('INSERT', { new: { id: 'thing-1', origin: 'us-east-1', latch: 'open' } }), 'eu-west-1')).toBe(false);
  });
  it('skips a write without an origin stamp (written around command)', () => {
    expect(shouldPublish(record('INSERT', { new: { id: 'thing-1', latch: 'open' } }), 'us-east-1')).toBe(false);
  });
  it('judges an update by its new image: another region taking over the item publishes there, not here', () => {
    const r = record('MODIFY', { old: { id: 'thing-1', origin: 'us-east-1', latch: 'open' }, new: { id: 'thing-1', origin: 'us-west-2', latch: 'open' } });
    expect(shouldPublish(r, 'us-east-1')).toBe(false);
    expect(shouldPublish(r, 'us-west-2')).toBe(true);
  });
  it('publishes a delete where the last write was made (a delete carries no stamp of its own)', () => {
    const r = record('REMOVE', { old: { id: 'thing-1', origin: 'us-west-2', latch: 'open' } });
    expect(shouldPublish(r, 'us-west-2')).toBe(true);
    expect(shouldPublish(r, 'us-east-1')).toBe(false);
  });
  it('ignores a stamp that is not a string', () => {
    expect(shouldPublish(record('INSERT', { new: { id: 'thing-1', origin: 1, latch: 'open' } }), 'us-east-1')).toBe(false);
  });
});

describe('trigger latch filter', () => {
  it('skips its own region\'s write when the latch is closed (a listener applying another source\'s event)', () => {
    expect(shouldPublish(record('INSERT', { new: { id: 'thing-1', origin: 'us-east-1', latch: 'closed' } }), 'us-east-1')).toBe(false);
  });
  it('skips a write with no latch at all', () => {
    expect(shouldPublish(record('INSERT', { new: { id: 'thing-1', origin: 'us-east-1' } }), 'us-east-1')).toBe(false);
  });
  it('publishes an update that reopens the latch', () => {
    const r = record('MODIFY', { old: { id: 'thing-1', origin: 'us-east-1', latch: 'closed' }, new: { id: 'thing-1', origin: 'us-east-1', latch: 'open' } });
    expect(shouldPublish(r, 'us-east-1')).toBe(true);
  });
});

describe('the event the trigger publishes', () => {
  it('has the seed shape: id, type, timestamp, partitionKey, tags {region, source}, thing {old, new}', () => {
    const event = toEvent(record('MODIFY', { old: { id: 'thing-1', n: 1 }, new: { id: 'thing-1', n: 2, origin: 'us-east-1', latch: 'open' } }), 'us-east-1', 'shop-dev');
    expect(event).toEqual({
      id: 'e1',
      type: 'thing-updated',
      timestamp: 1767225600000,
      partitionKey: 'thing-1',
      tags: { region: 'us-east-1', source: 'shop-dev' },
      thing: { old: { id: 'thing-1', n: 1 }, new: { id: 'thing-1', n: 2, origin: 'us-east-1', latch: 'open' } },
    });
    expect(toEvent(record('INSERT', { new: { id: 'thing-1' } }), 'r', 's').type).toBe('thing-created');
    expect(toEvent(record('REMOVE', { old: { id: 'thing-1' } }), 'r', 's')).toMatchObject({ type: 'thing-deleted', thing: { new: undefined } });
  });
});

describe('listener', () => {
  const event = (source: string, type: 'thing-created' | 'thing-deleted' = 'thing-created') => ({
    id: 'ev-9',
    type,
    timestamp: 0,
    partitionKey: 'thing-7',
    tags: { region: 'us-east-1', source },
    thing: { new: { id: 'thing-7', name: 'x', origin: 'us-east-1', latch: 'open' } },
  });
  it('skips events of its own source (its own trigger\'s)', () => {
    expect(decide(event('shop-dev'), 'shop-dev', 'us-west-2')).toEqual({ skip: 'own source' });
  });
  it("writes another source's event with the latch closed and its own region as origin", () => {
    expect(decide(event('inventory'), 'shop-dev', 'us-west-2')).toEqual({ write: { id: 'thing-7', name: 'x', origin: 'us-west-2', latch: 'closed', appliedEvent: 'ev-9' } });
  });
  it('does not apply deletes', () => {
    expect(decide(event('inventory', 'thing-deleted'), 'shop-dev', 'us-west-2')).toEqual({ skip: 'deletes are not applied' });
  });
});

describe('attribute values', () => {
  it('round-trips plain values through DynamoDB JSON', () => {
    const value = { s: 'a', n: 1.5, b: true, z: null, l: [1, 'two'], m: { k: 'v' } };
    expect(unmarshall(marshall(value))).toEqual(value);
  });
});

// DynamoDB Streams: every item change of a stream-enabled table becomes a stream record in a shard,
// kept 24 hours (cloud time) and read through shard iterators that expire after 15 minutes.
import { randomBytes } from 'node:crypto';
import { AwsError, validation } from '../../aws-error.js';
import type { CloudContext } from '../../types.js';
import type { Item } from '../attribute-value.js';
import type { ItemChange } from '../domain.js';
import type { KeySchemaElement } from '../model.js';
import { dict, keyedState, own } from '../../keyed.js';
import type { ShardState, StoredRecord, StreamState, StreamsState } from './model.js';

export const RETENTION_MS = 24 * 3600_000;
export const ITERATOR_TTL_MS = 15 * 60_000;
/** A shard stays open this long before a write rolls it over to a child shard (AWS: "about every four hours"). */
export const SHARD_ROLLOVER_MS = 4 * 3600_000;
const SEQ_BASE = 100000000000000000000n;
const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'];

/** What the streams need to know about tables (the table domain answers it). */
export interface TableStreams {
  /** The table's current stream, if it has one enabled. */
  streamOf(region: string, table: string): { viewType: string; label: string; keySchema: KeySchemaElement[] } | undefined;
  tableNames(region: string): string[];
  tableArn(region: string, table: string): string;
}

/** A stream record as GetRecords returns it (and Lambda passes it, plus eventSourceARN). */
export interface WireRecord {
  eventID: string;
  eventName: string;
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
}

interface IteratorToken {
  /** Region, stream ARN, shard id. */
  r: string;
  s: string;
  h: string;
  /** Position: records with a sequence number greater than this are next. */
  p: string;
  /** Issued at (cloud ms). */
  t: number;
}

const notFound = (what: string) => new AwsError('ResourceNotFoundException', `Requested resource not found: ${what}`);

export function seqString(n: number | bigint): string {
  return (SEQ_BASE + BigInt(n)).toString();
}

function before(seq: string): string {
  return (BigInt(seq) - 1n).toString();
}

function streamRegion(arn: string): string | undefined {
  return /^arn:aws:dynamodb:([^:]+):\d{12}:table\/[^/]+\/stream\/.+$/.exec(arn ?? '')?.[1];
}

export class DynamoDbStreams {
  constructor(
    private readonly ctx: CloudContext,
    private readonly tables: TableStreams,
  ) {}

  private get state(): StreamsState {
    return keyedState<StreamsState>(this.ctx.state, 'dynamodb-streams', () => ({ counter: 0, regions: dict() }));
  }

  private regionStreams(region: string): Record<string, StreamState> {
    return (this.state.regions[region] ??= dict());
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  // ---- keeping streams in step with tables ----

  /** Bring one table's streams up to date: open its current stream, disable any other. */
  private syncTable(region: string, tableName: string): StreamState | undefined {
    const streams = this.regionStreams(region);
    const current = this.tables.streamOf(region, tableName);
    const arn = current ? `${this.tables.tableArn(region, tableName)}/stream/${current.label}` : undefined;
    let changed = false;
    for (const stream of Object.values(streams)) {
      if (stream.tableName === tableName && stream.arn !== arn && stream.disabledAt === undefined) {
        this.disable(stream);
        changed = true;
      }
    }
    let open: StreamState | undefined;
    if (current && arn) {
      open = own(streams, arn);
      if (!open) {
        const now = this.now();
        open = { arn, tableName, label: current.label, viewType: current.viewType, keySchema: structuredClone(current.keySchema), createdAt: now, shards: [] };
        this.openShard(open, now);
        streams[arn] = open;
        changed = true;
      }
    }
    if (changed) this.ctx.state.changed('dynamodb-streams', 'regions', region);
    return open;
  }

  /** Every table of the region, and streams of tables that are gone. */
  private syncRegion(region: string): void {
    const names = new Set(this.tables.tableNames(region));
    for (const stream of Object.values(this.regionStreams(region))) names.add(stream.tableName);
    for (const name of names) this.syncTable(region, name);
    this.trim(region);
  }

  private disable(stream: StreamState): void {
    const now = this.now();
    stream.disabledAt = now;
    const open = stream.shards.find((s) => s.endSeq === undefined);
    if (open) this.closeShard(open, now);
  }

  private openShard(stream: StreamState, now: number, parent?: string): ShardState {
    const shard: ShardState = {
      id: `shardId-${String(now).padStart(20, '0')}-${randomBytes(4).toString('hex')}`,
      ...(parent ? { parent } : {}),
      createdAt: now,
      startSeq: seqString(this.state.counter + 1),
      records: [],
    };
    stream.shards.push(shard);
    return shard;
  }

  private closeShard(shard: ShardState, now: number): void {
    const last = shard.records[shard.records.length - 1]?.seq ?? shard.trimmedThrough;
    shard.endSeq = last ?? before(shard.startSeq);
    shard.closedAt = now;
  }

  /** Drop records older than 24 h, closed shards with nothing left, and streams disabled 24 h ago. */
  private trim(region: string): void {
    const horizon = this.now() - RETENTION_MS;
    const streams = this.regionStreams(region);
    let changed = false;
    for (const stream of Object.values(streams)) {
      for (const shard of stream.shards) {
        let n = 0;
        while (n < shard.records.length && shard.records[n]!.at < horizon) n++;
        if (n > 0) {
          shard.trimmedThrough = shard.records[n - 1]!.seq;
          shard.records.splice(0, n);
          changed = true;
        }
      }
      const kept = stream.shards.filter((s) => !(s.closedAt !== undefined && s.closedAt < horizon && s.records.length === 0));
      if (kept.length !== stream.shards.length) {
        stream.shards = kept;
        changed = true;
      }
      if (stream.disabledAt !== undefined && stream.disabledAt < horizon) {
        delete streams[stream.arn];
        changed = true;
      }
    }
    if (changed) this.ctx.state.changed('dynamodb-streams', 'regions', region);
  }

  // ---- writes ----

  /** The table domain's item-change hook: append a record to the table's open shard. */
  record(region: string, tableName: string, change: ItemChange): void {
    const stream = this.syncTable(region, tableName);
    if (!stream) return;
    const now = this.now();
    let shard = stream.shards[stream.shards.length - 1]!;
    const streamPath = ['regions', region, stream.arn];
    if (now - shard.createdAt >= SHARD_ROLLOVER_MS && shard.records.length > 0) {
      this.closeShard(shard, now);
      shard = this.openShard(stream, now, shard.id);
      this.ctx.state.changed('dynamodb-streams', ...streamPath, 'shards');
    }
    const seq = seqString(++this.state.counter);
    const view = stream.viewType;
    const record: StoredRecord = {
      seq,
      at: now,
      eventID: randomBytes(16).toString('hex'),
      eventName: change.eventName,
      keys: change.keys,
      ...(change.oldImage && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { oldImage: change.oldImage } : {}),
      ...(change.newImage && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { newImage: change.newImage } : {}),
      sizeBytes: 0,
    };
    record.sizeBytes = JSON.stringify([record.keys, record.oldImage ?? null, record.newImage ?? null]).length;
    shard.records.push(record);
    this.ctx.state.changed('dynamodb-streams', 'counter');
    this.ctx.state.changed('dynamodb-streams', ...streamPath, 'shards', String(stream.shards.length - 1), 'records', String(shard.records.length - 1));
    this.onRecord?.(region, stream.arn);
  }

  /** Told after every appended record (event-source mappings wake up on it). */
  onRecord?: (region: string, streamArn: string) => void;

  // ---- the DynamoDB Streams API ----

  listStreams(region: string, input: { TableName?: string; Limit?: number; ExclusiveStartStreamArn?: string } = {}) {
    const limit = input.Limit ?? 100;
    if (!(limit >= 1 && limit <= 100))
      throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
    if (input.TableName !== undefined && !this.tables.tableNames(region).includes(input.TableName))
      throw notFound(`Table: ${input.TableName} not found`);
    this.syncRegion(region);
    const all = Object.values(this.regionStreams(region))
      .filter((s) => input.TableName === undefined || s.tableName === input.TableName)
      .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const start = input.ExclusiveStartStreamArn === undefined ? 0 : all.findIndex((s) => s.arn === input.ExclusiveStartStreamArn) + 1;
    const page = all.slice(start, start + limit);
    return {
      Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
      ...(start + limit < all.length ? { LastEvaluatedStreamArn: page[page.length - 1]!.arn } : {}),
    };
  }

  /** The stream by ARN (after syncing), or ResourceNotFoundException. */
  stream(arn: string): StreamState {
    const region = streamRegion(arn);
    if (!region) throw validation(`Invalid StreamArn`);
    this.syncRegion(region);
    const stream = own(this.state.regions[region], arn);
    if (!stream) throw notFound(`Stream: ${arn} not found`);
    return stream;
  }

  describeStream(_region: string, input: { StreamArn: string; Limit?: number; ExclusiveStartShardId?: string }) {
    const stream = this.stream(input?.StreamArn);
    const limit = input.Limit ?? 100;
    if (!(limit >= 1 && limit <= 100))
      throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
    const start = input.ExclusiveStartShardId === undefined ? 0 : stream.shards.findIndex((s) => s.id === input.ExclusiveStartShardId) + 1;
    const page = stream.shards.slice(start, start + limit);
    return {
      StreamDescription: {
        StreamArn: stream.arn,
        StreamLabel: stream.label,
        StreamStatus: stream.disabledAt === undefined ? 'ENABLED' : 'DISABLED',
        StreamViewType: stream.viewType,
        CreationRequestDateTime: stream.createdAt / 1000,
        TableName: stream.tableName,
        KeySchema: stream.keySchema,
        Shards: page.map((s) => ({
          ShardId: s.id,
          SequenceNumberRange: { StartingSequenceNumber: s.startSeq, ...(s.endSeq !== undefined ? { EndingSequenceNumber: s.endSeq } : {}) },
          ...(s.parent ? { ParentShardId: s.parent } : {}),
        })),
        ...(start + limit < stream.shards.length ? { LastEvaluatedShardId: page[page.length - 1]!.id } : {}),
      },
    };
  }

  private shard(stream: StreamState, shardId: string): ShardState {
    const shard = stream.shards.find((s) => s.id === shardId);
    if (!shard) throw notFound(`Shard: ${shardId} in Stream: ${stream.arn} not found`);
    return shard;
  }

  getShardIterator(_region: string, input: { StreamArn: string; ShardId: string; ShardIteratorType: string; SequenceNumber?: string }) {
    if (!ITERATOR_TYPES.includes(input?.ShardIteratorType))
      throw validation(
        `1 validation error detected: Value '${String(input?.ShardIteratorType)}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [${ITERATOR_TYPES.join(', ')}]`,
      );
    const stream = this.stream(input.StreamArn);
    const shard = this.shard(stream, input.ShardId);
    return { ShardIterator: this.iterator(stream, shard, this.position(shard, input.ShardIteratorType, input.SequenceNumber)) };
  }

  /** Where an iterator of this type starts: records after the returned sequence number come next. */
  position(shard: ShardState, type: string, sequenceNumber?: string): string {
    const floor = shard.trimmedThrough ?? before(shard.startSeq);
    if (type === 'TRIM_HORIZON') return floor;
    if (type === 'LATEST') return shard.records[shard.records.length - 1]?.seq ?? floor;
    if (sequenceNumber === undefined || !/^\d{21,40}$/.test(sequenceNumber))
      throw validation(`Invalid SequenceNumber: ${sequenceNumber ?? '(none)'} is required for ShardIteratorType ${type} and must be a sequence number of the shard`);
    const last = shard.endSeq ?? shard.records[shard.records.length - 1]?.seq ?? floor;
    if (BigInt(sequenceNumber) < BigInt(shard.startSeq) || BigInt(sequenceNumber) > BigInt(last))
      throw validation(`Invalid SequenceNumber for ShardIteratorType ${type}: ${sequenceNumber} is not in the range of shard ${shard.id}`);
    if (shard.trimmedThrough !== undefined && BigInt(sequenceNumber) <= BigInt(shard.trimmedThrough))
      throw trimmed(sequenceNumber);
    return type === 'AT_SEQUENCE_NUMBER' ? before(sequenceNumber) : sequenceNumber;
  }

  private iterator(stream: StreamState, shard: ShardState, position: string): string {
    const token: IteratorToken = { r: streamRegion(stream.arn)!, s: stream.arn, h: shard.id, p: position, t: this.now() };
    return `${stream.arn}|1|${Buffer.from(JSON.stringify(token)).toString('base64')}`;
  }

  getRecords(_region: string, input: { ShardIterator: string; Limit?: number }) {
    const limit = input?.Limit ?? 1000;
    if (!(limit >= 1 && limit <= 1000))
      throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000`);
    const token = parseIterator(input?.ShardIterator);
    if (this.now() - token.t > ITERATOR_TTL_MS) throw new AwsError('ExpiredIteratorException', 'The provided iterator exceeds the maximum age allowed.');
    const stream = this.stream(token.s);
    const shard = this.shard(stream, token.h);
    const { records } = this.read(shard, token.p, limit);
    const position = records.length ? records[records.length - 1]!.seq : token.p;
    const exhausted = shard.endSeq !== undefined && BigInt(position) >= BigInt(shard.endSeq);
    return {
      Records: records.map((r) => this.wire(token.r, stream, r)),
      ...(exhausted ? {} : { NextShardIterator: this.iterator(stream, shard, position) }),
    };
  }

  /** Records after `position`, at most `limit`; TrimmedDataAccessException if some were trimmed away in between. */
  read(shard: ShardState, position: string, limit: number): { records: StoredRecord[] } {
    if (shard.trimmedThrough !== undefined && BigInt(position) < BigInt(shard.trimmedThrough)) throw trimmed(position);
    const after = BigInt(position);
    const start = shard.records.findIndex((r) => BigInt(r.seq) > after);
    return { records: start < 0 ? [] : shard.records.slice(start, start + limit) };
  }

  wire(region: string, stream: StreamState, r: StoredRecord): WireRecord {
    return {
      eventID: r.eventID,
      eventName: r.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(r.at / 1000),
        Keys: structuredClone(r.keys),
        ...(r.newImage ? { NewImage: structuredClone(r.newImage) } : {}),
        ...(r.oldImage ? { OldImage: structuredClone(r.oldImage) } : {}),
        SequenceNumber: r.seq,
        SizeBytes: r.sizeBytes,
        StreamViewType: stream.viewType,
      },
    };
  }
}

function trimmed(seq: string): AwsError {
  return new AwsError(
    'TrimmedDataAccessException',
    `The operation attempted to read past the oldest stream record in a shard (sequence number ${seq} is older than the 24-hour trim horizon).`,
  );
}

function parseIterator(text: unknown): IteratorToken {
  const invalid = () => validation('Invalid ShardIterator');
  if (typeof text !== 'string' || text.length > 2048) throw invalid();
  const cut = text.lastIndexOf('|1|');
  if (cut < 0) throw invalid();
  try {
    const token = JSON.parse(Buffer.from(text.slice(cut + 3), 'base64').toString('utf8')) as IteratorToken;
    if (token.s !== text.slice(0, cut) || typeof token.h !== 'string' || typeof token.t !== 'number' || !/^\d+$/.test(token.p) || typeof token.r !== 'string') throw invalid();
    return token;
  } catch {
    throw invalid();
  }
}

// Lambda event-source mappings on DynamoDB streams: a poller per mapping reads the stream's shards
// in order (parent before child) and invokes the function with batches, with AWS's retry, bisect,
// record-age and partial-batch-response rules, all on the virtual clock.
import { AwsError } from '../../aws-error.js';
import type { CloudContext } from '../../types.js';
import { dict, keyedState, own } from '../../keyed.js';
import type { DynamoDbStreams } from '../../dynamodb/streams/domain.js';
import type { ShardState, StoredRecord } from '../../dynamodb/streams/model.js';
import type { LambdaDomain } from '../domain.js';
import type { MappingRecord, MappingsState } from './model.js';
import { batchItemFailures } from './batch-failures.js';
import { mappingView } from './views.js';
import { checkStreamSource, newMapping, TRANSITION_MS } from './records.js';
import { range, user, validateTuning, type CreateMappingInput, type UpdateMappingInput } from './validations.js';

export { batchItemFailures } from './batch-failures.js';
export type { CreateMappingInput, UpdateMappingInput } from './validations.js';

export { TRANSITION_MS } from './records.js';
/** Lambda polls each shard four times a second. */
export const POLL_INTERVAL_MS = 250;
/** Retry back-off after a failed batch: 1 s doubling to at most 60 s (AWS does not document its schedule). */
const retryDelay = (attempts: number): number => Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
const DISCARD_LIMIT = 100;

const notFound = () => user('ResourceNotFoundException', 'The resource you requested does not exist.', 404);

export class EventSourceMappings {
  private readonly timers = new Map<string, { at: number; cancel: () => void }>();
  private readonly busy = new Set<string>();
  /** Mappings asked to poll while a poll of theirs was running: poll again when it ends. */
  private readonly again = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly ctx: CloudContext,
    private readonly lambda: LambdaDomain,
  ) {}

  private get state(): MappingsState {
    return keyedState<MappingsState>(this.ctx.state, 'lambda-event-source-mappings', () => ({ mappings: dict() }));
  }

  private streams(): DynamoDbStreams | undefined {
    return this.ctx.service('dynamodb')?.streams; // undefined: a cloud without DynamoDB
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  // Declares the whole document (state write barrier): it holds only small, bounded records.
  private dirty(): void {
    this.ctx.state.changed('lambda-event-source-mappings');
  }

  arn(m: MappingRecord): string {
    return `arn:aws:lambda:${m.region}:${this.ctx.accountId}:event-source-mapping:${m.uuid}`;
  }

  describe(m: MappingRecord): Record<string, unknown> {
    return mappingView(m, this.arn(m));
  }

  /** The mapping, or ResourceNotFoundException (404) as Lambda answers. */
  mapping(uuid: string): MappingRecord {
    const m = own(this.state.mappings, uuid);
    if (!m) throw notFound();
    return m;
  }

  create(region: string, input: CreateMappingInput): Record<string, unknown> {
    if (!input.FunctionName) throw new AwsError('ValidationException', "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null");
    const fn = this.lambda.getFunctionConfiguration(region, input.FunctionName);
    const source = input.EventSourceArn ?? '';
    const startingPosition = checkStreamSource(region, source, this.streams(), input.StartingPosition);
    validateTuning(input);
    const existing = Object.values(this.state.mappings).find((m) => m.eventSourceArn === source && m.functionArn === fn.FunctionArn);
    if (existing)
      throw user(
        'ResourceConflictException',
        `An event source mapping with DynamoDB arn (" ${source} ") and function (" ${fn.FunctionName} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`,
        409,
      );
    const m = newMapping(region, fn.FunctionArn, source, startingPosition, input, this.now());
    this.state.mappings[m.uuid] = m;
    this.dirty();
    this.armTransition(m);
    return this.describe(m);
  }

  get(_region: string, uuid: string): Record<string, unknown> {
    return this.describe(this.mapping(uuid));
  }

  list(region: string, opts: { EventSourceArn?: string; FunctionName?: string; Marker?: string; MaxItems?: number }) {
    const fnArn = opts.FunctionName ? this.lambda.getFunctionConfiguration(region, opts.FunctionName).FunctionArn : undefined;
    const max = opts.MaxItems ?? 100;
    range(max, 'maxItems', 1, 10000);
    const all = Object.values(this.state.mappings)
      .filter((m) => m.region === region && (!opts.EventSourceArn || m.eventSourceArn === opts.EventSourceArn) && (!fnArn || m.functionArn === fnArn))
      .sort((a, b) => a.uuid.localeCompare(b.uuid));
    const start = opts.Marker ? all.findIndex((m) => m.uuid === opts.Marker) + 1 : 0;
    const page = all.slice(start, start + max);
    return { EventSourceMappings: page.map((m) => this.describe(m)), ...(start + max < all.length ? { NextMarker: page[page.length - 1]!.uuid } : {}) };
  }

  update(region: string, uuid: string, input: UpdateMappingInput): Record<string, unknown> {
    const m = this.mapping(uuid);
    if (m.state !== 'Enabled' && m.state !== 'Disabled')
      throw user('ResourceInUseException', `Cannot update the event source mapping ${uuid} while it is in the ${m.state} state; try again once it is Enabled or Disabled.`);
    validateTuning(input);
    if (input.FunctionName !== undefined) m.functionArn = this.lambda.getFunctionConfiguration(region, input.FunctionName).FunctionArn;
    if (input.BatchSize !== undefined) m.batchSize = input.BatchSize;
    if (input.MaximumBatchingWindowInSeconds !== undefined) m.maximumBatchingWindowInSeconds = input.MaximumBatchingWindowInSeconds;
    if (input.MaximumRetryAttempts !== undefined) m.maximumRetryAttempts = input.MaximumRetryAttempts;
    if (input.MaximumRecordAgeInSeconds !== undefined) m.maximumRecordAgeInSeconds = input.MaximumRecordAgeInSeconds;
    if (input.BisectBatchOnFunctionError !== undefined) m.bisectBatchOnFunctionError = input.BisectBatchOnFunctionError;
    if (input.FunctionResponseTypes !== undefined) m.functionResponseTypes = [...input.FunctionResponseTypes];
    const was = m.enabled;
    if (input.Enabled !== undefined) m.enabled = input.Enabled;
    const now = this.now();
    m.state = was === m.enabled ? 'Updating' : m.enabled ? 'Enabling' : 'Disabling';
    m.stateTransitionReason = 'USER_INITIATED';
    m.transitionAt = now + TRANSITION_MS;
    m.lastModified = now;
    this.dirty();
    this.disarm(uuid);
    this.armTransition(m);
    return this.describe(m);
  }

  delete(_region: string, uuid: string): Record<string, unknown> {
    const m = this.mapping(uuid);
    if (m.state === 'Deleting') throw user('ResourceInUseException', `The event source mapping ${uuid} is already being deleted.`);
    m.state = 'Deleting';
    m.stateTransitionReason = 'USER_INITIATED';
    m.transitionAt = this.now() + TRANSITION_MS;
    this.dirty();
    this.disarm(uuid);
    this.armTransition(m);
    return this.describe(m);
  }

  // ---- timers ----

  start(): void {
    this.stopped = false;
    const streams = this.streams();
    if (streams) {
      const previous = streams.onRecord;
      streams.onRecord = (region, arn) => {
        previous?.(region, arn);
        this.wake(arn);
      };
    }
    for (const m of Object.values(this.state.mappings)) {
      if (m.transitionAt !== undefined) this.armTransition(m);
      else if (m.state === 'Enabled') this.schedule(m.uuid, this.now());
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    await this.settled();
  }

  /** Resolves once every batch started so far has been handled (tests step the clock, then wait here). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.lambda.settled();
  }

  private wake(streamArn: string): void {
    for (const m of Object.values(this.state.mappings))
      if (m.eventSourceArn === streamArn && m.state === 'Enabled') this.schedule(m.uuid, this.now() + POLL_INTERVAL_MS);
  }

  private armTransition(m: MappingRecord): void {
    const key = `t:${m.uuid}`;
    this.timers.get(key)?.cancel();
    const cancel = this.ctx.clock.at(m.transitionAt!, () => {
      this.timers.delete(key);
      this.finishTransition(m.uuid);
    });
    this.timers.set(key, { at: m.transitionAt!, cancel });
  }

  private finishTransition(uuid: string): void {
    const m = own(this.state.mappings, uuid);
    if (!m) return;
    delete m.transitionAt;
    if (m.state === 'Deleting') {
      delete this.state.mappings[uuid];
      this.disarm(uuid);
      this.dirty();
      return;
    }
    m.state = m.enabled ? 'Enabled' : 'Disabled';
    this.dirty();
    if (m.state === 'Enabled') this.schedule(uuid, this.now());
  }

  private disarm(uuid: string): void {
    this.timers.get(`p:${uuid}`)?.cancel();
    this.timers.delete(`p:${uuid}`);
  }

  /** Poll no later than `at` (an earlier pending poll stands). */
  private schedule(uuid: string, at: number): void {
    if (this.stopped) return;
    const key = `p:${uuid}`;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    pending?.cancel();
    const cancel = this.ctx.clock.at(at, () => {
      this.timers.delete(key);
      this.runPoll(uuid);
    });
    this.timers.set(key, { at, cancel });
  }

  private runPoll(uuid: string): void {
    if (this.busy.has(uuid)) {
      this.again.add(uuid);
      return;
    }
    this.busy.add(uuid);
    const run = this.poll(uuid)
      .catch((error: unknown) => this.ctx.log(`event-source mapping ${uuid}: ${(error as Error).message}`))
      .finally(() => {
        this.busy.delete(uuid);
        this.inFlight.delete(run);
        if (this.again.delete(uuid)) this.schedule(uuid, this.now());
      });
    this.inFlight.add(run);
  }

  // ---- polling ----

  /** Fix starting positions when polling first starts: LATEST skips everything already in the stream. */
  private position(m: MappingRecord, streams: DynamoDbStreams, shards: ShardState[]): void {
    if (m.positioned) return;
    m.positioned = true;
    if (m.startingPosition === 'LATEST')
      for (const shard of shards) m.checkpoints[shard.id] = shard.endSeq ?? streams.position(shard, 'LATEST');
    this.dirty();
  }

  private async poll(uuid: string): Promise<void> {
    for (;;) {
      const m = own(this.state.mappings, uuid);
      const streams = this.streams();
      if (!m || m.state !== 'Enabled' || !streams || this.stopped) return;
      let stream;
      try {
        stream = streams.stream(m.eventSourceArn);
      } catch (error) {
        m.lastProcessingResult = `PROBLEM: ${(error as Error).message}`;
        this.dirty();
        return;
      }
      this.position(m, streams, stream.shards);
      const now = this.now();
      if (m.retryAt !== undefined && m.retryAt > now) return this.schedule(uuid, m.retryAt);
      const next = this.nextBatch(m, streams, stream.shards);
      if (!next) return;
      const { shard, records } = next;
      if (records.length === 0) return;
      const cap = m.bisect?.cap ?? m.batchSize;
      const windowEnd = records[0]!.at + m.maximumBatchingWindowInSeconds * 1000;
      if (records.length < cap && cap === m.batchSize && windowEnd > now) return this.schedule(uuid, windowEnd);
      const done = await this.deliver(m, streams, stream.arn, shard, records);
      if (!done) return;
    }
  }

  /** The first shard (parents first) with records past its checkpoint; records older than the maximum age are given up. */
  private nextBatch(m: MappingRecord, streams: DynamoDbStreams, shards: ShardState[]): { shard: ShardState; records: StoredRecord[] } | undefined {
    const finished = (s: ShardState) => s.endSeq !== undefined && m.checkpoints[s.id] !== undefined && BigInt(m.checkpoints[s.id]!) >= BigInt(s.endSeq);
    for (const shard of shards) {
      if (finished(shard)) continue;
      const parent = shard.parent ? shards.find((s) => s.id === shard.parent) : undefined;
      if (parent && !finished(parent)) return undefined;
      let at = m.checkpoints[shard.id] ?? streams.position(shard, 'TRIM_HORIZON');
      if (shard.trimmedThrough !== undefined && BigInt(at) < BigInt(shard.trimmedThrough)) {
        this.discard(m, shard, (BigInt(at) + 1n).toString(), shard.trimmedThrough, 'Trimmed');
        at = shard.trimmedThrough;
      }
      m.checkpoints[shard.id] = at;
      let records = streams.read(shard, at, m.bisect?.cap ?? m.batchSize).records;
      if (m.maximumRecordAgeInSeconds !== -1) {
        const oldest = this.now() - m.maximumRecordAgeInSeconds * 1000;
        const stale = records.filter((r) => r.at < oldest);
        if (stale.length) {
          this.discard(m, shard, stale[0]!.seq, stale[stale.length - 1]!.seq, 'RecordAgeExceeded');
          m.checkpoints[shard.id] = stale[stale.length - 1]!.seq;
          records = streams.read(shard, m.checkpoints[shard.id]!, m.bisect?.cap ?? m.batchSize).records;
        }
      }
      const through = m.retryThrough ?? m.bisect?.until;
      if (through !== undefined) records = records.filter((r) => BigInt(r.seq) <= BigInt(through));
      this.dirty();
      if (records.length > 0) return { shard, records };
      if (shard.endSeq === undefined) return { shard, records: [] };
      m.checkpoints[shard.id] = shard.endSeq; // closed and read to its end
    }
    return undefined;
  }

  private discard(m: MappingRecord, shard: ShardState, first: string, last: string, reason: MappingRecord['discarded'][number]['reason']): void {
    m.discarded.push({ at: this.now(), shardId: shard.id, firstSequenceNumber: first, lastSequenceNumber: last, reason });
    if (m.discarded.length > DISCARD_LIMIT) m.discarded.splice(0, m.discarded.length - DISCARD_LIMIT);
    m.attempts = 0;
    delete m.retryAt;
    delete m.retryThrough;
    this.dirty();
  }

  /** Invoke with one batch and move the checkpoint by the outcome. True when polling may go straight on. */
  private async deliver(m: MappingRecord, streams: DynamoDbStreams, streamArn: string, shard: ShardState, records: StoredRecord[]): Promise<boolean> {
    const stream = streams.stream(streamArn);
    const payload = JSON.stringify({ Records: records.map((r) => ({ ...streams.wire(m.region, stream, r), eventSourceARN: streamArn })) });
    m.invocations += 1;
    let failure: string | undefined;
    let partialFrom: string | undefined;
    try {
      const result = await this.lambda.invoke(m.region, m.functionArn, payload, { invocationType: 'RequestResponse' });
      if (result.functionError) failure = `PROBLEM: Function call failed`;
      else if (m.functionResponseTypes.includes('ReportBatchItemFailures')) {
        const verdict = batchItemFailures(result.payload.toString('utf8'), records);
        if (verdict === 'invalid') failure = 'PROBLEM: Function call failed';
        else if (verdict !== undefined) partialFrom = verdict;
      }
    } catch (error) {
      failure = `PROBLEM: ${(error as Error).message}`;
    }
    const current = own(this.state.mappings, m.uuid);
    if (!current) return false; // deleted meanwhile
    const last = records[records.length - 1]!.seq;
    if (!failure && partialFrom === undefined) {
      current.checkpoints[shard.id] = last;
      current.attempts = 0;
      delete current.retryAt;
      delete current.retryThrough;
      if (current.bisect && BigInt(last) >= BigInt(current.bisect.until)) delete current.bisect;
      current.lastProcessingResult = 'OK';
      this.dirty();
      return true;
    }
    if (partialFrom !== undefined) {
      // Checkpoint just before the lowest reported failure; the records from there on are retried.
      current.checkpoints[shard.id] = (BigInt(partialFrom) - 1n).toString();
      current.lastProcessingResult = 'PROBLEM: Function reported batch item failures';
    } else {
      current.lastProcessingResult = failure!;
      if (current.bisectBatchOnFunctionError && records.length > 1) {
        // Splitting a batch does not count toward the retry quota.
        current.bisect = { cap: Math.ceil(records.length / 2), until: current.bisect && BigInt(current.bisect.until) > BigInt(last) ? current.bisect.until : last };
        this.dirty();
        return true;
      }
    }
    current.attempts += 1;
    if (current.maximumRetryAttempts !== -1 && current.attempts > current.maximumRetryAttempts) {
      const from = partialFrom ?? records[0]!.seq;
      this.discard(current, shard, from, last, 'RetryAttemptsExhausted');
      current.checkpoints[shard.id] = last;
      if (current.bisect && BigInt(last) >= BigInt(current.bisect.until)) delete current.bisect;
      return true;
    }
    current.retryThrough = last;
    current.retryAt = this.now() + retryDelay(current.attempts);
    this.dirty();
    this.schedule(current.uuid, current.retryAt);
    return false;
  }
}

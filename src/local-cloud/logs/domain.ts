// The CloudWatch Logs domain: log groups per region with retention, and a bounded tail of lines
// per group that Lambda writes into.

import { AwsError } from '../aws-error.js';
import { dict, keyedState } from '../keyed.js';
import type { CloudContext } from '../types.js';

export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
/**
 * Lines kept per group (CloudWatch Logs keeps every event for the retention; the local tail is bounded
 * to keep the daemon's state small). Sized so a drill's evidence fits: `drill replication --samples 1000`
 * on three regions writes, in one region's trigger log, at worst one invocation per stream record
 * (3000 × START/END/REPORT) plus 1000 published lines: 10,000 lines, about 1.2 MB.
 */
export const MAX_LINES_PER_GROUP = 20_000;
/** Bytes of messages kept per group, whatever the line count: a few huge lines must not hold more. */
export const MAX_BYTES_PER_GROUP = 4 * 1024 * 1024;
/** CloudWatch Logs' largest event (a longer message is truncated, as Lambda truncates long lines). */
export const MAX_EVENT_BYTES = 256 * 1024;
const DAY_MS = 86_400_000;

export interface LogLine {
  timestamp: number;
  message: string;
}

export interface LogGroupRecord {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  tags: Record<string, string>;
  lines: LogLine[];
  /** Bytes of the messages in `lines` (kept in step, so trimming by size needs no recount). */
  bytes?: number;
}

interface LogsState {
  regions: Record<string, Record<string, LogGroupRecord>>;
}

const NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export class Logs {
  private readonly state: LogsState;

  constructor(private readonly ctx: CloudContext) {
    this.state = keyedState<LogsState>(ctx.state, 'logs', () => ({ regions: dict() }));
  }

  createLogGroup(region: string, name: string, opts: { retentionInDays?: number; tags?: Record<string, string> } = {}): LogGroupRecord {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`, 400);
    }
    const groups = this.groups(region);
    if (groups[name]) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
    if (opts.retentionInDays !== undefined) checkRetention(opts.retentionInDays);
    const group: LogGroupRecord = { logGroupName: name, creationTime: this.ctx.clock.now(), retentionInDays: opts.retentionInDays, tags: Object.assign(dict<string>(), opts.tags), lines: [] };
    groups[name] = group;
    this.changed(region, name);
    return group;
  }

  deleteLogGroup(region: string, name: string): void {
    this.mustGet(region, name);
    delete this.groups(region)[name];
    this.changed(region, name);
  }

  describeLogGroups(region: string, prefix = ''): LogGroupRecord[] {
    return Object.values(this.groups(region))
      .filter((g) => g.logGroupName.startsWith(prefix))
      .sort((a, b) => a.logGroupName.localeCompare(b.logGroupName));
  }

  putRetentionPolicy(region: string, name: string, days: number): void {
    checkRetention(days);
    this.mustGet(region, name).retentionInDays = days;
    this.changed(region, name, 'retentionInDays');
  }

  deleteRetentionPolicy(region: string, name: string): void {
    this.mustGet(region, name).retentionInDays = undefined;
    this.changed(region, name, 'retentionInDays');
  }

  hasLogGroup(region: string, name: string): boolean {
    return Object.hasOwn(this.groups(region), name);
  }

  /**
   * Lambda's log output: creates the group on first use (as Lambda does) and keeps a bounded tail:
   * the last MAX_LINES_PER_GROUP lines and MAX_BYTES_PER_GROUP per group, none older than the group's retention.
   */
  appendLog(region: string, group: string, message: string): void {
    const g = this.groups(region)[group] ?? this.createLogGroup(region, group);
    const now = this.ctx.clock.now();
    g.bytes ??= g.lines.reduce((n, l) => n + Buffer.byteLength(l.message), 0);
    const before = g.lines.length;
    for (const raw of message.replace(/\n$/, '').split('\n')) {
      const line = Buffer.byteLength(raw) > MAX_EVENT_BYTES ? Buffer.from(raw).subarray(0, MAX_EVENT_BYTES).toString('utf8') : raw;
      g.lines.push({ timestamp: now, message: line });
      g.bytes += Buffer.byteLength(line);
    }
    const dropped = this.expire(g, now);
    // The log gets the new lines only, unless old ones were dropped from the front (which shifts
    // every index): then the lines whole, which the slack in expire() makes rare.
    if (dropped > 0) this.changed(region, group, 'lines');
    else for (let i = before; i < g.lines.length; i++) this.changed(region, group, 'lines', String(i));
    this.changed(region, group, 'bytes');
  }

  // Oldest first: past the retention (AWS deletes expired events), then beyond the local bounds.
  // Past the line bound, down to 90% of it: dropping from the front makes the state log the
  // group's lines whole, so once per tenth of the bound rather than on every line.
  private expire(g: LogGroupRecord, now: number): number {
    const cutoff = g.retentionInDays === undefined ? -Infinity : now - g.retentionInDays * DAY_MS;
    const maxLines = g.lines.length > MAX_LINES_PER_GROUP ? Math.floor(MAX_LINES_PER_GROUP * 0.9) : MAX_LINES_PER_GROUP;
    let drop = 0;
    let bytes = g.bytes ?? 0;
    while (
      drop < g.lines.length &&
      (g.lines[drop].timestamp < cutoff || g.lines.length - drop > maxLines || bytes > MAX_BYTES_PER_GROUP)
    ) {
      bytes -= Buffer.byteLength(g.lines[drop].message);
      drop++;
    }
    if (drop > 0) {
      g.lines.splice(0, drop);
      g.bytes = bytes;
    }
    return drop;
  }

  /** Lines of a group, oldest first, optionally from a time and containing a substring. */
  lines(region: string, group: string, opts: { startTime?: number; endTime?: number; contains?: string } = {}): LogLine[] {
    const g = this.mustGet(region, group);
    const cutoff = g.retentionInDays === undefined ? -Infinity : this.ctx.clock.now() - g.retentionInDays * DAY_MS;
    return g.lines.filter((l) =>
      l.timestamp >= cutoff &&
      (opts.startTime === undefined || l.timestamp >= opts.startTime) &&
      (opts.endTime === undefined || l.timestamp <= opts.endTime) &&
      (opts.contains === undefined || l.message.includes(opts.contains)));
  }

  arn(region: string, name: string): string {
    return `arn:aws:logs:${region}:${this.ctx.accountId}:log-group:${name}:*`;
  }

  /** Declare a change to a log group (or a part: 'lines', index) for the state's write barrier. */
  private changed(region: string, group: string, ...path: string[]): void {
    this.ctx.state.changed('logs', 'regions', region, group, ...path);
  }

  private groups(region: string): Record<string, LogGroupRecord> {
    this.state.regions[region] ??= dict();
    return this.state.regions[region];
  }

  private mustGet(region: string, name: string): LogGroupRecord {
    const group = this.groups(region)[name];
    if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
    return group;
  }
}

function checkRetention(days: number): void {
  if (!RETENTION_DAYS.includes(days)) {
    throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`, 400);
  }
}

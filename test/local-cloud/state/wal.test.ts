import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptStateError } from '../../../src/local-cloud/persistence/errors.js';
import { readLog, WriteAheadLog } from '../../../src/local-cloud/persistence/wal.js';
import { JsonStateStore } from '../../../src/local-cloud/state.js';

const root = mkdtempSync(join(tmpdir(), 'regionctl-wal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `d${++dirs}`);

// A store opened on a dir while another is still open sees exactly what is on disk: what a
// restart after kill -9 at that moment would see.
const reopen = (dataDir: string, compactBytes?: number) => new JsonStateStore({ dataDir, compactBytes });
const doc = (store: JsonStateStore, key = 'svc') => store.get<Record<string, unknown>>(key, () => ({}));

describe('write-ahead log file', () => {
  it('replays complete commits and cuts off a torn last line', () => {
    const file = join(root, 'torn.wal');
    const log = new WriteAheadLog(file, 0, false);
    log.append(1, [{ op: 'put', path: ['a'], json: '{"x":1}' }]);
    log.append(2, [{ op: 'put', path: ['a', 'y'], json: '2' }]);
    log.close();
    const whole = statSync(file).size;
    appendFileSync(file, '0badc0de {"s":3,"c":[["p",["a","z"],'); // kill -9 in the middle of a write
    const read = readLog(file);
    expect(read.commits.map((c) => c.seq)).toEqual([1, 2]);
    expect(read.validBytes).toBe(whole);
    new WriteAheadLog(file, read.validBytes, false).close();
    expect(statSync(file).size).toBe(whole);
  });

  it('treats a complete last line with a wrong checksum as torn (power loss)', () => {
    const file = join(root, 'crc.wal');
    const log = new WriteAheadLog(file, 0, false);
    log.append(1, [{ op: 'put', path: ['a'], json: '1' }]);
    log.append(2, [{ op: 'put', path: ['a'], json: '2' }]);
    log.close();
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/"c":\[\["p",\["a"\],2\]\]/, '"c":[["p",["a"],3]]'));
    expect(readLog(file).commits.map((c) => c.seq)).toEqual([1]);
  });

  it('refuses a damaged record followed by good ones, naming local reset', () => {
    const file = join(root, 'middle.wal');
    const log = new WriteAheadLog(file, 0, false);
    for (let s = 1; s <= 3; s++) log.append(s, [{ op: 'put', path: ['a'], json: String(s) }]);
    log.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('2]]}', '9]]}');
    writeFileSync(file, lines.join('\n'));
    expect(() => readLog(file)).toThrow(CorruptStateError);
    expect(() => readLog(file)).toThrow(/regionctl local reset/);
  });
});

describe('state store over the log', () => {
  it('makes flushed changes visible to a store opened after a crash, including a torn tail', () => {
    const dataDir = freshDir();
    const live = reopen(dataDir);
    doc(live).tables = { t1: { items: { a: 1 } } };
    live.changed('svc', 'tables');
    live.flush();
    ((doc(live).tables as any).t1.items as Record<string, number>).b = 2;
    live.changed('svc', 'tables', 't1', 'items', 'b');
    live.flush();
    appendFileSync(join(dataDir, 'state.wal'), '1234'); // a write cut short
    const after = reopen(dataDir);
    expect(doc(after)).toEqual({ tables: { t1: { items: { a: 1, b: 2 } } } });
    // The torn bytes were cut off, so commits appended after them replay too.
    doc(after).more = true;
    after.changed('svc', 'more');
    after.flush();
    expect(doc(reopen(dataDir))).toEqual({ tables: { t1: { items: { a: 1, b: 2 } } }, more: true });
  });

  it('commit(mark) writes the changes declared since the mark before it resolves', async () => {
    const dataDir = freshDir();
    const live = reopen(dataDir);
    const mark = live.mark();
    doc(live, 'dynamodb').item = 'acknowledged';
    live.changed('dynamodb', 'item');
    const committed = live.commit(mark);
    expect(doc(reopen(dataDir), 'dynamodb')).toEqual({}); // not yet: the commit runs after this turn
    await committed;
    expect(doc(reopen(dataDir), 'dynamodb')).toEqual({ item: 'acknowledged' });
  });

  it('commits changes to documents a service took long ago (no get() since)', async () => {
    const dataDir = freshDir();
    const live = reopen(dataDir);
    const held = doc(live, 'iam');
    live.flush();
    const mark = live.mark();
    held.role = 'r';
    live.changed('iam', 'role');
    await live.commit(mark);
    expect(doc(reopen(dataDir), 'iam')).toEqual({ role: 'r' });
  });

  it('a commit nobody declared anything for writes nothing (a read sent as POST)', async () => {
    const dataDir = freshDir();
    const live = reopen(dataDir, undefined);
    doc(live).x = 1;
    live.changed('svc', 'x');
    live.flush();
    const size = statSync(join(dataDir, 'state.wal')).size;
    await live.commit(live.mark());
    expect(statSync(join(dataDir, 'state.wal')).size).toBe(size);
  });

  it('deletes, array shrinks and nested replacements replay to the same state', () => {
    const dataDir = freshDir();
    const live = reopen(dataDir);
    const d = doc(live);
    const big = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`k${i}`, { v: i, pad: 'p'.repeat(30) }]));
    Object.assign(d, { big, list: Array.from({ length: 300 }, (_, i) => `entry-${i}-${'q'.repeat(30)}`), small: { a: 1 } });
    live.flush(); // the new document: declared by get()
    delete big.k7;
    live.changed('svc', 'big', 'k7');
    (big.k8 as { v: number }).v = -8;
    live.changed('svc', 'big', 'k8', 'v');
    big.added = { v: 'new' } as never;
    live.changed('svc', 'big', 'added');
    (d.list as string[]).splice(0, 100);
    (d.list as string[]).push('tail');
    live.changed('svc', 'list'); // elements removed: the array whole
    d.small = { replaced: true };
    live.changed('svc', 'small', 'a'); // inside a container the log does not hold yet: logged from it down
    live.flush();
    expect(JSON.stringify(doc(reopen(dataDir)))).toBe(JSON.stringify(d));
  });

  it('compacts into a snapshot and empties the log, and replays the same state', () => {
    const dataDir = freshDir();
    const live = reopen(dataDir, 4096);
    const d = doc(live);
    for (let i = 0; i < 200; i++) {
      d[`k${i}`] = { i, pad: 'z'.repeat(50) };
      live.changed('svc', `k${i}`);
      live.flush();
    }
    expect(statSync(join(dataDir, 'state.snapshot.json')).size).toBeGreaterThan(4096);
    // The log never grows much past the snapshot before it is emptied into a new one.
    expect(statSync(join(dataDir, 'state.wal')).size).toBeLessThan(statSync(join(dataDir, 'state.snapshot.json')).size + 200);
    expect(doc(reopen(dataDir))).toEqual(d);
  });

  it('never replays a commit twice when the crash came between snapshot and log truncation', () => {
    const dataDir = freshDir();
    const live = reopen(dataDir);
    const d = doc(live);
    d.list = ['a'];
    live.changed('svc', 'list');
    live.flush();
    const walBefore = readFileSync(join(dataDir, 'state.wal'));
    (d.list as string[]).push('b');
    live.changed('svc', 'list', '1');
    live.close(); // snapshot with both, log emptied
    writeFileSync(join(dataDir, 'state.wal'), walBefore); // as if the truncation never happened
    expect(doc(reopen(dataDir))).toEqual({ list: ['a', 'b'] });
  });

  it('keeps Maps, Sets and null-prototype objects, and "__proto__" as a plain key', () => {
    const dataDir = freshDir();
    const live = reopen(dataDir);
    const d = doc(live);
    const byName = Object.create(null) as Record<string, unknown>;
    byName.__proto__ = { days: 7 };
    byName['constructor'] = 'a log group';
    Object.assign(d, { byName, tags: new Map([['k', 'v'], ['\u0000odd', 'x']]), set: new Set([1, 2]), arr: ['\u0000looks-like-a-tag', 1] });
    const plain = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    d.plain = plain;
    for (const key of ['byName', 'tags', 'set', 'arr', 'plain']) live.changed('svc', key);
    live.flush();
    const back = doc(reopen(dataDir));
    expect(Object.getPrototypeOf(back.byName)).toBeNull();
    expect((back.byName as Record<string, unknown>).constructor).toBe('a log group');
    expect(Object.getOwnPropertyDescriptor(back.byName, '__proto__')?.value).toEqual({ days: 7 });
    expect(back.tags).toEqual(new Map([['k', 'v'], ['\u0000odd', 'x']]));
    expect(back.set).toEqual(new Set([1, 2]));
    expect(back.arr).toEqual(['\u0000looks-like-a-tag', 1]);
    expect(Object.getPrototypeOf(back.plain)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back.plain, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports a corrupt snapshot with the command that recovers', () => {
    const dataDir = freshDir();
    const live = reopen(dataDir);
    doc(live).x = 1;
    live.changed('svc', 'x');
    live.close();
    truncateSync(join(dataDir, 'state.snapshot.json'), 10);
    expect(() => reopen(dataDir)).toThrow(/state\.snapshot\.json is corrupt.*regionctl local reset/);
  });

  it('imports a state.json written by an earlier version', () => {
    const dataDir = freshDir();
    reopen(dataDir).close();
    rmSync(join(dataDir, 'state.snapshot.json'), { force: true });
    writeFileSync(join(dataDir, 'state.json'), JSON.stringify({ s3: { buckets: { old: {} } } }));
    expect(doc(reopen(dataDir), 's3')).toEqual({ buckets: { old: {} } });
    expect(doc(reopen(dataDir), 's3')).toEqual({ buckets: { old: {} } });
  });
});

describe('write barrier', () => {
  it('the audit reports a change nobody declared, and close() fails with it', () => {
    const dataDir = freshDir();
    const live = new JsonStateStore({ dataDir, audit: true });
    const d = doc(live, 'dynamodb');
    d.declared = 1;
    live.changed('dynamodb', 'declared');
    live.flush();
    expect(live.auditFailures).toEqual([]);
    d.forgotten = { item: 1 }; // a service that mutates without state.changed()
    live.flush();
    expect(live.auditFailures).toEqual([expect.stringContaining('["dynamodb","forgotten"] changed, but no service declared it')]);
    // ...and indeed it was not logged: after a crash it would be gone.
    expect(doc(reopen(dataDir), 'dynamodb')).toEqual({ declared: 1 });
    expect(() => live.close()).toThrow(/state audit: 1 change\(s\) no service declared/);
  });

  it('the audit is on under vitest, and off when asked (production runs without it)', () => {
    const on = new JsonStateStore({ dataDir: freshDir() });
    doc(on);
    on.flush();
    doc(on).x = 1;
    on.flush();
    expect(on.auditFailures).toHaveLength(1);
    const off = new JsonStateStore({ dataDir: freshDir(), audit: false });
    doc(off);
    off.flush();
    doc(off).x = 1;
    off.flush();
    expect(off.auditFailures).toEqual([]);
    off.close();
  });

  it('a commit writes only the declared paths: O(change) bytes whatever the document size', () => {
    const dataDir = freshDir();
    const live = new JsonStateStore({ dataDir, audit: false });
    const items = doc(live, 'dynamodb');
    for (let i = 0; i < 5000; i++) items[`item-${i}`] = { id: { S: `item-${i}` }, pad: { S: 'x'.repeat(100) } };
    live.flush();
    const before = statSync(join(dataDir, 'state.wal')).size;
    items['item-42'] = { id: { S: 'item-42' }, pad: { S: 'changed' } };
    live.changed('dynamodb', 'item-42');
    live.flush();
    const line = readFileSync(join(dataDir, 'state.wal')).subarray(before).toString('utf8');
    expect(line.length).toBeLessThan(200);
    expect(line).toContain('["p",["dynamodb","item-42"],{"id":{"S":"item-42"},"pad":{"S":"changed"}}]');
    // Undeclared changes elsewhere are not written (the audit, off here, is what finds those).
    items['item-43'] = 'not declared';
    live.changed('dynamodb', 'item-44');
    live.flush();
    expect(readFileSync(join(dataDir, 'state.wal'), 'utf8')).not.toContain('not declared');
    live.close();
  });

  it('declared paths: an ancestor covers its descendants, an absent value is a delete, a new container is logged whole', () => {
    const dataDir = freshDir();
    const live = new JsonStateStore({ dataDir, audit: true });
    const d = doc(live);
    d.regions = Object.create(null);
    live.changed('svc', 'regions');
    live.flush();
    const regions = d.regions as Record<string, Record<string, unknown>>;
    regions['us-east-1'] = { tables: { t: { items: { a: 1 } } } }; // created on the way, declared only deep down
    live.changed('svc', 'regions', 'us-east-1', 'tables', 't', 'items', 'a');
    live.flush();
    delete (regions['us-east-1'].tables as Record<string, unknown>).t;
    live.changed('svc', 'regions', 'us-east-1', 'tables', 't', 'items', 'a'); // inside something deleted
    live.changed('svc', 'regions', 'eu-west-1', 'never', 'existed');
    live.flush();
    regions['us-east-1'].x = 1;
    regions['us-east-1'].y = 2;
    live.changed('svc', 'regions', 'us-east-1', 'x');
    live.changed('svc', 'regions', 'us-east-1'); // covers x and y: one put
    live.flush();
    expect(live.auditFailures).toEqual([]);
    const wal = readFileSync(join(dataDir, 'state.wal'), 'utf8').trim().split('\n');
    expect(wal.at(-1)).toMatch(/"c":\[\["p",\["svc","regions","us-east-1"\],/);
    expect(wal.at(-2)).toContain('["d",["svc","regions","us-east-1","tables","t"]]');
    const back = doc(reopen(dataDir));
    expect(JSON.stringify(back)).toBe(JSON.stringify(d));
    live.close();
  });

  it('appends to an array element by element; a shrunk array is logged whole', () => {
    const dataDir = freshDir();
    const live = new JsonStateStore({ dataDir, audit: true });
    const lines = ((doc(live).lines = []) as string[]);
    live.changed('svc', 'lines');
    live.flush();
    let before = statSync(join(dataDir, 'state.wal')).size;
    for (let i = 0; i < 3; i++) {
      lines.push(`line ${i}`);
      live.changed('svc', 'lines', String(i));
    }
    live.flush();
    expect(readFileSync(join(dataDir, 'state.wal')).subarray(before).toString()).toContain('["p",["svc","lines","2"],"line 2"]');
    before = statSync(join(dataDir, 'state.wal')).size;
    lines.splice(0, 2);
    live.changed('svc', 'lines', '5');
    live.flush();
    expect(readFileSync(join(dataDir, 'state.wal')).subarray(before).toString()).toContain('["p",["svc","lines"],["line 2"]]');
    expect(live.auditFailures).toEqual([]);
    expect(doc(reopen(dataDir))).toEqual({ lines: ['line 2'] });
    live.close();
  });
});

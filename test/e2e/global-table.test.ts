import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { describeExit, e2eSuite, isAlive, jsonOf, type Exit } from './regionctl.js';

// Issue 10's commands through bin/regionctl (the built dist/) on three local regions, against a
// local-cloud daemon this suite starts on ports the OS picks: deploy adds the global table's replicas
// one region per call with progress, and adding a region adds exactly its replica; invoke writes in
// one region and reads in the others; drill replication --json has the document; status
// shows each replica and the replication latency into it; a region taken out keeps its replica
// unless confirmed (--remove-replicas, as a non-interactive run cannot answer the question); destroy
// removes the replicas before the table. The daemon runs at 10x: a replica's CREATING minute is 6 s,
// and status's five minutes of latency are 30 s of wall time, room enough on a loaded machine.
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const TABLE = 'gt-e2e-things';
const suite = e2eSuite('gtable', {
  config: `service: gt\nstage: e2e\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\ndns:\n  zone: gt.example\n  createZone: true\ntable: {}\n`,
  daemonArgs: ['--time-scale', '10'],
});

async function local(args: string[], timeoutMs?: number): Promise<Exit> {
  // --local starts a daemon when none answers: never let that happen here.
  if (!isAlive(suite.pid)) throw new Error(`the suite's local cloud (pid ${suite.pid}) is gone; not running regionctl ${args.join(' ')}`);
  return suite.run([...args, '--local', '--port', String(suite.port)], timeoutMs);
}
async function localJson(args: string[], code: number | null = 0, timeoutMs?: number): Promise<{ doc: any; exit: Exit }> {
  const exit = await local([...args, '--json'], timeoutMs);
  if (code !== null) expect(exit.code, describeExit(args, exit)).toBe(code);
  return { doc: jsonOf(exit), exit };
}

const db = (region: string) => new DynamoDBClient({ region, endpoint: suite.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const replicasOf = async () =>
  ((await db('us-east-1').send(new DescribeTableCommand({ TableName: TABLE }))).Table!.Replicas ?? []).map((r) => [r.RegionName, r.ReplicaStatus]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
/** Index of the first stderr progress line matching `re` (plain, non-TTY lines: "HH:MM:SS [region] ..."). */
const lineOf = (stderr: string, re: RegExp) => stderr.split('\n').findIndex((l) => re.test(l));

describe('global table commands end to end (bin/regionctl, three local regions)', { timeout: 400_000 }, () => {
  it('deploy on two regions makes the table and the other region\'s replica, with progress; adding a third adds exactly its replica', async () => {
    const first = await localJson(['deploy', '--regions', 'us-east-1,us-west-2'], 0, 300_000);
    expect(first.doc).toMatchObject({ ok: true, replicas: { table: TABLE, consistency: 'eventual', added: ['us-west-2'], removed: [], kept: [] } });
    expect(first.doc.global.map((g: any) => g.stackName)).toContain('gt-e2e-table');
    const adding = lineOf(first.exit.stderr, /\[us-west-2\] adding replica of gt-e2e-things \(1\/1\)/);
    const active = lineOf(first.exit.stderr, /\[us-west-2\] done replica of gt-e2e-things ACTIVE/);
    expect(adding, first.exit.stderr).toBeGreaterThanOrEqual(0);
    expect(active, first.exit.stderr).toBeGreaterThan(adding);
    expect(await replicasOf()).toEqual([['us-west-2', 'ACTIVE']]);

    const second = await localJson(['deploy'], 0, 300_000);
    expect(second.doc).toMatchObject({ ok: true, replicas: { added: ['eu-west-1'], removed: [], kept: [] } });
    expect(Object.keys(second.doc.replicas.streamArns).sort()).toEqual([...REGIONS].sort());
    expect(lineOf(second.exit.stderr, /\[us-west-2\] adding replica/)).toBe(-1);
    // The events stacks come after the replicas (their triggers read each replica's stream).
    const replicaDone = lineOf(second.exit.stderr, /\[eu-west-1\] done replica of gt-e2e-things ACTIVE/);
    expect(replicaDone, second.exit.stderr).toBeGreaterThanOrEqual(0);
    expect(lineOf(second.exit.stderr, /\[eu-west-1\] .*gt-e2e-events/), second.exit.stderr).toBeGreaterThan(replicaDone);
    expect(await replicasOf()).toEqual([
      ['eu-west-1', 'ACTIVE'],
      ['us-west-2', 'ACTIVE'],
    ]);
  });

  it('drill replication --json on three regions: the issue\'s document, six pairs, nothing missing, one event per write', async () => {
    const { doc } = await localJson(['drill', 'replication', '--samples', '3'], 0, 300_000);
    // {"pairs":[{"from","to","samples","p50Ms","p95Ms","p99Ms","maxMs","missing"}],"events":{"writes","published","duplicates"},"rpoSeconds","result"}
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['pairs', 'events', 'rpoSeconds', 'result']));
    expect(Object.keys(doc.events).sort()).toEqual(['duplicates', 'published', 'writes']);
    expect(doc).toMatchObject({ result: 'passed', rpoSeconds: 0, events: { writes: 9, published: 9, duplicates: 0 } });
    expect(doc.pairs.map((p: any) => `${p.from}>${p.to}`).sort()).toEqual(REGIONS.flatMap((a) => REGIONS.filter((b) => b !== a).map((b) => `${a}>${b}`)).sort());
    for (const p of doc.pairs) {
      expect(Object.keys(p).sort()).toEqual(['from', 'maxMs', 'missing', 'p50Ms', 'p95Ms', 'p99Ms', 'samples', 'to']);
      expect(p, `${p.from}>${p.to}`).toMatchObject({ samples: 3, missing: 0 });
      // The configured lag is 1000 ms of cloud time.
      for (const k of ['p50Ms', 'p95Ms', 'p99Ms', 'maxMs']) expect(p[k], `${p.from}>${p.to} ${k}`).toBeGreaterThanOrEqual(1000);
    }
  });

  it('invoke: command in us-east-1 stamps its origin; query in us-west-2 and eu-west-1 reads the item', async () => {
    const { doc: wrote } = await localJson(['invoke', 'command', '--region', 'us-east-1', '--data', '{"id":"gt-1","name":"three regions"}']);
    expect(wrote).toMatchObject({ functionName: 'gt-e2e-command', region: 'us-east-1', result: { id: 'gt-1', item: { origin: 'us-east-1', latch: 'open' } } });
    for (const region of ['us-west-2', 'eu-west-1']) {
      let read: any;
      for (let i = 0; i < 50; i++) {
        read = (await localJson(['invoke', 'query', '--region', region, '--data', '{"id":"gt-1"}'])).doc;
        if (read.result.item) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(read, region).toMatchObject({ functionName: 'gt-e2e-query', region, result: { region, item: { id: 'gt-1', name: 'three regions', origin: 'us-east-1' } } });
    }
  });

  it('status shows every region\'s replica and the replication latency into it from each other region', async () => {
    // Poll until the write above (and the drill's) show as latency from us-east-1: the metric is in
    // the sending region's CloudWatch once the write is delivered.
    let status: any;
    for (let i = 0; i < 20; i++) {
      status = (await localJson(['status'], null)).doc;
      if (status.table?.latency?.filter((l: any) => l.from === 'us-east-1' && l.samples > 0).length === 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(status.table).toMatchObject({ table: TABLE, consistency: 'eventual', replicas: REGIONS.map((region) => ({ region, status: 'ACTIVE' })) });
    expect(status.table.latency).toHaveLength(6);
    for (const l of status.table.latency.filter((x: any) => x.from === 'us-east-1')) {
      expect(l, `${l.from}>${l.to}`).toMatchObject({ averageMs: 1000, maxMs: 1000 });
      expect(l.samples).toBeGreaterThan(0);
    }
    const exit = await local(['status', '--no-color']);
    const human = exit.stdout;
    expect(human, describeExit(['status'], exit)).toContain(`${TABLE} (multi-Region eventual consistency; replication latency over the last 5 min)`);
    // The replica table: its header, then one row per region (REGION, REPLICA, latency from each other region).
    const lines = human.split('\n');
    const header = lines.findIndex((l) => /^REGION\s+REPLICA\s+REPLICATION LATENCY FROM/.test(l));
    expect(header, human).toBeGreaterThanOrEqual(0);
    const rows = lines.slice(header + 1, header + 1 + REGIONS.length);
    expect(rows.map((l) => l.split(/\s+/).slice(0, 2)), human).toEqual(REGIONS.map((r) => [r, 'ACTIVE']));
    for (const [i, region] of REGIONS.entries()) {
      for (const from of REGIONS.filter((r) => r !== region)) expect(rows[i], human).toContain(`${from}: `);
    }
    expect(rows[1]).toMatch(/us-east-1: 1000 ms avg, 1000 ms max/);
    expect(rows[2]).toMatch(/us-east-1: 1000 ms avg, 1000 ms max/);
  });

  it('a region taken out keeps its replica without confirmation (warning), and --remove-replicas removes exactly that one', async () => {
    const kept = await localJson(['deploy', '--regions', 'us-east-1,us-west-2'], 0, 300_000);
    expect(kept.doc.replicas).toMatchObject({ added: [], removed: [], kept: ['eu-west-1'] });
    expect(kept.exit.stderr).toContain(`warning: kept the replicas of ${TABLE} in eu-west-1 (not in regions); deploy with --remove-replicas to remove them`);
    expect(await replicasOf()).toEqual([
      ['eu-west-1', 'ACTIVE'],
      ['us-west-2', 'ACTIVE'],
    ]);
    const removed = await localJson(['deploy', '--regions', 'us-east-1,us-west-2', '--remove-replicas'], 0, 300_000);
    expect(removed.doc.replicas).toMatchObject({ added: [], removed: ['eu-west-1'], kept: [] });
    expect(lineOf(removed.exit.stderr, /\[eu-west-1\] done replica of gt-e2e-things removed/), removed.exit.stderr).toBeGreaterThanOrEqual(0);
    expect(await replicasOf()).toEqual([['us-west-2', 'ACTIVE']]);
    expect((await db('eu-west-1').send(new ListTablesCommand({}))).TableNames ?? []).not.toContain(TABLE);
  });

  it('destroy --yes removes the replicas before the table, and no table is left anywhere', async () => {
    const { doc, exit } = await localJson(['destroy', '--yes'], 0, 300_000);
    expect(doc).toMatchObject({ ok: true });
    expect(doc.global).toContainEqual(expect.objectContaining({ stackName: 'gt-e2e-table', region: 'us-east-1', deleted: true }));
    const replicaRemoved = lineOf(exit.stderr, /\[us-west-2\] done replica of gt-e2e-things removed/);
    const tableDeleted = lineOf(exit.stderr, /\[us-east-1\] done deleted gt-e2e-table/);
    expect(replicaRemoved, exit.stderr).toBeGreaterThanOrEqual(0);
    expect(tableDeleted, exit.stderr).toBeGreaterThan(replicaRemoved);
    for (const region of REGIONS) expect((await db(region).send(new ListTablesCommand({}))).TableNames ?? [], region).not.toContain(TABLE);
  });
});

import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { describeExit, e2eSuite, isAlive, jsonOf, type Exit } from './regionctl.js';

// `table.consistency: strong` (MRSC) through bin/regionctl on three local regions of the US set:
// deploy makes every member in one call, status names the mode, `drill replication --isolate R`
// shows R refusing writes with nothing acknowledged lost (RPO 0), in its JSON and its human report,
// and destroy removes the members and the table. The daemon runs at 10x (replicas take 6 s).
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];
const TABLE = 'st-e2e-things';
const suite = e2eSuite('gtable-mrsc', {
  config: `service: st\nstage: e2e\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\ndns:\n  zone: st.example\n  createZone: true\ntable:\n  consistency: strong\n`,
  daemonArgs: ['--time-scale', '10'],
});

async function local(args: string[], timeoutMs?: number): Promise<Exit> {
  // --local starts a daemon when none answers: never let that happen here.
  if (!isAlive(suite.pid)) throw new Error(`the suite's local cloud (pid ${suite.pid}) is gone; not running regionctl ${args.join(' ')}`);
  return suite.run([...args, '--local', '--port', String(suite.port)], timeoutMs);
}
async function localJson(args: string[], code: number | null = 0, timeoutMs?: number): Promise<any> {
  const exit = await local([...args, '--json'], timeoutMs);
  if (code !== null) expect(exit.code, describeExit(args, exit)).toBe(code);
  return jsonOf(exit);
}
const db = (region: string) => new DynamoDBClient({ region, endpoint: suite.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

describe('strongly consistent global table end to end (bin/regionctl)', { timeout: 400_000 }, () => {
  it('deploy makes the table MRSC with both other members in one call; status names the mode', async () => {
    const exit = await local(['deploy', '--json'], 300_000);
    expect(exit.code, describeExit(['deploy'], exit)).toBe(0);
    expect(jsonOf(exit)).toMatchObject({ ok: true, replicas: { table: TABLE, consistency: 'strong', added: ['us-east-2', 'us-west-2'], removed: [], kept: [] } });
    // One UpdateTable for every member (its progress step), never one region per call.
    expect(exit.stderr).toContain(`[us-east-1] making ${TABLE} strongly consistent across us-east-1, us-east-2, us-west-2...`);
    expect(exit.stderr).toContain(`[us-east-1] done ${TABLE}: 2 replica(s) ACTIVE (strong consistency)`);
    expect(exit.stderr).not.toMatch(/adding replica of/);
    const table = (await db('us-east-1').send(new DescribeTableCommand({ TableName: TABLE }))).Table!;
    expect(table.MultiRegionConsistency).toBe('STRONG');
    expect((table.Replicas ?? []).map((r) => [r.RegionName, r.ReplicaStatus]).sort()).toEqual([
      ['us-east-2', 'ACTIVE'],
      ['us-west-2', 'ACTIVE'],
    ]);
    const status = await localJson(['status'], null);
    expect(status.table).toMatchObject({ table: TABLE, consistency: 'strong', replicas: REGIONS.map((region) => ({ region, status: 'ACTIVE' })) });
  });

  it('drill replication --isolate us-west-2: the region refuses every write, the others go on, RPO 0', async () => {
    const doc = await localJson(['drill', 'replication', '--samples', '4', '--isolate', 'us-west-2'], 0, 300_000);
    expect(doc).toMatchObject({
      result: 'passed',
      consistency: 'strong',
      rpoSeconds: 0,
      refused: 4,
      events: { writes: 8, published: 8, duplicates: 0 },
      isolate: { region: 'us-west-2', acceptedInRegion: 0, refusedInRegion: 4, atRiskWrites: 0 },
    });
    expect(doc.pairs.every((p: any) => p.missing === 0)).toBe(true);

    const human = await local(['drill', 'replication', '--samples', '2', '--isolate', 'us-west-2', '--no-color'], 300_000);
    expect(human.code, describeExit(['drill', 'replication', '--isolate', 'us-west-2'], human)).toBe(0);
    expect(human.stdout).toContain('isolated us-west-2 (strong consistency): 2 write(s) refused there, 0 accepted; nothing acknowledged was lost');
    expect(human.stdout).toContain('RPO (oldest acknowledged write not everywhere while isolated): 0s');
    expect(human.stdout).toMatch(/^passed$/m);
  });

  it('destroy --yes removes the members and the table', async () => {
    const doc = await localJson(['destroy', '--yes'], 0, 300_000);
    expect(doc).toMatchObject({ ok: true });
    expect(doc.global).toContainEqual(expect.objectContaining({ stackName: 'st-e2e-table', region: 'us-east-1', deleted: true }));
    for (const region of REGIONS) expect((await db(region).send(new ListTablesCommand({}))).TableNames ?? [], region).not.toContain(TABLE);
  });
});

// `regionctl deploy` (deployCommand, as the CLI runs it) with a global table against an in-process
// local cloud on a manual clock: the replica waits run on the cloud's clock (the context's clock
// advances it), so a replica's minute of CREATING costs no wall time. Adding a region adds exactly
// that replica; removing one removes its replica only once confirmed; a precondition that fails is
// refused before anything changes, with what to fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { deployCommand } from '../../src/commands/deploy.js';
import { destroyCommand } from '../../src/commands/destroy.js';
import { startHarness, type Harness } from './harness.js';

const TABLE = 'shop-gd-things';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let h: Harness;

beforeAll(async () => {
  h = await startHarness(`service: shop\nstage: gd\nregions: [us-east-1, us-west-2, eu-west-1]\nprimaryRegion: us-east-1\ndns:\n  zone: shop.example\n  createZone: true\ntable: {}\n`);
}, 60_000);
afterAll(async () => h?.close());

const db = (region: string) => new DynamoDBClient({ region, endpoint: h.cloud.url, credentials });
const replicasOf = async () => ((await db('us-east-1').send(new DescribeTableCommand({ TableName: TABLE }))).Table!.Replicas ?? []).map((r) => [r.RegionName, r.ReplicaStatus]);
const stackExists = async (region: string, name: string) =>
  new CloudFormationClient({ region, endpoint: h.cloud.url, credentials }).send(new DescribeStacksCommand({ StackName: name })).then(
    () => true,
    () => false,
  );

async function deployJson(regions: string[], extra: { answer?: boolean } = {}, opts: { removeReplicas?: boolean } = {}): Promise<{ out: any; error?: unknown; questions: string[] }> {
  const ctx = h.context({ json: true, regions }, {}, { clock: h.sleeper(), ...extra });
  const error = await deployCommand(ctx, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { out: JSON.parse(ctx.io.stdout), error, questions: ctx.io.questions };
}

describe('deploy with a global table, on the cloud clock', () => {
  it('a first deploy makes the table and the replica of each other region, waiting on cloud time', async () => {
    const wallStart = Date.now();
    const cloudStart = h.clock.now();
    const { out, error } = await deployJson(['us-east-1', 'us-west-2']);
    expect(error).toBeUndefined();
    expect(out).toMatchObject({ ok: true, replicas: { table: TABLE, added: ['us-west-2'], removed: [], kept: [] } });
    expect(await replicasOf()).toEqual([['us-west-2', 'ACTIVE']]);
    // The replica's CREATING minute passed on the cloud clock, not the wall's.
    expect(h.clock.now() - cloudStart).toBeGreaterThanOrEqual(60_000);
    expect(Date.now() - wallStart).toBeLessThan(60_000);
  }, 300_000);

  it('refuses a failed precondition before anything changes, saying what to fix', async () => {
    // A table of the same name in eu-west-1 that is not a replica: AWS would refuse that replica.
    await db('eu-west-1').send(
      new CreateTableCommand({ TableName: TABLE, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    const { out, error } = await deployJson(['us-east-1', 'us-west-2', 'eu-west-1', 'us-east-2']);
    expect(error).toMatchObject({ code: 'DeployFailed' });
    expect(out.ok).toBe(false);
    expect(out.replicas.error).toContain('nothing was changed');
    expect(out.replicas.error).toContain(`a table named ${TABLE} already exists in eu-west-1 and is not a replica`);
    expect(out.replicas.error).toContain(`aws dynamodb delete-table --region eu-west-1 --table-name ${TABLE}`);
    // Nothing changed: no stack deployed (not even the table's), no replica in the region that had no problem.
    expect(out.global).toEqual([]);
    expect(out.regions).toEqual([]);
    expect(await replicasOf()).toEqual([['us-west-2', 'ACTIVE']]);
    expect((await db('us-east-2').send(new ListTablesCommand({}))).TableNames ?? []).not.toContain(TABLE);
    expect(await stackExists('eu-west-1', 'shop-gd-events')).toBe(false);
    await db('eu-west-1').send(new DeleteTableCommand({ TableName: TABLE }));
  }, 300_000);

  it('adding a region adds exactly that replica, and its events stack', async () => {
    const { out, error } = await deployJson(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(error).toBeUndefined();
    expect(out).toMatchObject({ ok: true, replicas: { added: ['eu-west-1'], removed: [], kept: [] } });
    expect(await replicasOf()).toEqual([
      ['eu-west-1', 'ACTIVE'],
      ['us-west-2', 'ACTIVE'],
    ]);
    expect(Object.keys(out.replicas.streamArns).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    expect(await stackExists('eu-west-1', 'shop-gd-events')).toBe(true);
  }, 300_000);

  it('removing a region keeps its replica until confirmed, then removes exactly that one', async () => {
    const declined = await deployJson(['us-east-1', 'us-west-2'], { answer: false });
    expect(declined.error).toBeUndefined();
    expect(declined.questions).toEqual([expect.stringContaining('eu-west-1 hold replicas of shop-gd-things')]);
    expect(declined.out.replicas).toMatchObject({ added: [], removed: [], kept: ['eu-west-1'] });
    expect(await replicasOf()).toEqual([
      ['eu-west-1', 'ACTIVE'],
      ['us-west-2', 'ACTIVE'],
    ]);
    const confirmed = await deployJson(['us-east-1', 'us-west-2'], { answer: true });
    expect(confirmed.error).toBeUndefined();
    expect(confirmed.out.replicas).toMatchObject({ added: [], removed: ['eu-west-1'], kept: [] });
    expect(await replicasOf()).toEqual([['us-west-2', 'ACTIVE']]);
    expect((await db('eu-west-1').send(new ListTablesCommand({}))).TableNames ?? []).not.toContain(TABLE);
  }, 300_000);

  it('destroy removes the replicas (on the cloud clock) before the table', async () => {
    const ctx = h.context({ json: true, regions: ['us-east-1', 'us-west-2', 'eu-west-1'] }, {}, { clock: h.sleeper() });
    await destroyCommand(ctx, { yes: true });
    expect(JSON.parse(ctx.io.stdout)).toMatchObject({ ok: true });
    for (const region of ['us-east-1', 'us-west-2']) expect((await db(region).send(new ListTablesCommand({}))).TableNames ?? []).not.toContain(TABLE);
  }, 300_000);
});

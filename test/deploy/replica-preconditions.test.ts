import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { checkReplicaPreconditions, preflightReplicas, ReplicaPreconditionFailed } from '../../src/deploy/replicas.js';

// Issue 10: "Preconditions are checked before anything changes, with messages that say what to fix."
// Each precondition AWS would refuse halfway through (provisioned capacity, no NEW_AND_OLD_IMAGES
// stream, a stranger table of that name, a consistency mode that cannot change, a new member of an
// MRSC table), as deploy's preflight words it. The tables are described by a fake DynamoDB client.

const TABLE = 'shop-dev-things';
const healthy: TableDescription = {
  TableName: TABLE,
  BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
};

/** DescribeTable answers: `tables[region]` when set, else ResourceNotFoundException. */
function clients(tables: Record<string, TableDescription> = {}) {
  return {
    dynamodb: (region: string) =>
      ({
        send: async () => {
          const table = tables[region];
          if (table) return { Table: table };
          throw Object.assign(new Error(`Requested resource not found: Table: ${TABLE} not found`), { name: 'ResourceNotFoundException' });
        },
      }) as unknown as DynamoDBClient,
  };
}

const check = (table: TableDescription | undefined, opts: { regions?: string[]; consistency?: 'eventual' | 'strong'; others?: Record<string, TableDescription> } = {}) =>
  checkReplicaPreconditions(
    { table: TABLE, home: 'us-east-1', regions: opts.regions ?? ['us-east-1', 'us-west-2'], settings: { consistency: opts.consistency ?? 'eventual' }, clients: clients(opts.others) },
    table,
  );

describe('replica preconditions', () => {
  it('passes an on-demand table with a NEW_AND_OLD_IMAGES stream, and a first deploy (no table yet)', async () => {
    expect(await check(healthy)).toEqual([]);
    expect(await check(undefined)).toEqual([]);
  });

  it('refuses provisioned capacity, saying to make it on demand', async () => {
    const problems = await check({ ...healthy, BillingModeSummary: { BillingMode: 'PROVISIONED' } });
    expect(problems).toEqual([`${TABLE} in us-east-1 uses provisioned capacity — replicas need on-demand (PAY_PER_REQUEST) write capacity; the table stack sets it: deploy it again`]);
  });

  it('refuses a missing stream or another view type, unless the table is strongly consistent', async () => {
    for (const StreamSpecification of [undefined, { StreamEnabled: false }, { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' as const }]) {
      const problems = await check({ ...healthy, StreamSpecification });
      expect(problems, JSON.stringify(StreamSpecification)).toEqual([expect.stringContaining(`${TABLE} in us-east-1 has no NEW_AND_OLD_IMAGES stream`)]);
    }
    expect(await check({ ...healthy, StreamSpecification: undefined }, { regions: ['us-east-1', 'us-east-2', 'us-west-2'], consistency: 'strong' })).toEqual([]);
  });

  it('refuses a region that already holds a table of that name, with the command that deletes it', async () => {
    const problems = await check(healthy, { regions: ['us-east-1', 'us-west-2', 'eu-west-1'], others: { 'eu-west-1': { TableName: TABLE } } });
    expect(problems).toEqual([
      `a table named ${TABLE} already exists in eu-west-1 and is not a replica — delete it (aws dynamodb delete-table --region eu-west-1 --table-name ${TABLE}) or remove eu-west-1 from regions`,
    ]);
    // An existing replica there is no stranger.
    expect(await check({ ...healthy, Replicas: [{ RegionName: 'us-west-2', ReplicaStatus: 'ACTIVE' }] }, { others: { 'us-west-2': healthy } })).toEqual([]);
  });

  it('refuses a change of consistency mode once replicas exist, and a new member of an MRSC table', async () => {
    const eventual = { ...healthy, Replicas: [{ RegionName: 'us-west-2', ReplicaStatus: 'ACTIVE' as const }], MultiRegionConsistency: 'EVENTUAL' as const };
    expect(await check(eventual, { regions: ['us-east-1', 'us-west-2'], consistency: 'strong' })).toEqual([
      expect.stringContaining(`${TABLE} is an eventually consistent global table, but regionctl.yml says consistency: strong`),
    ]);
    const strong = { ...healthy, Replicas: [{ RegionName: 'us-east-2', ReplicaStatus: 'ACTIVE' as const }], MultiRegionConsistency: 'STRONG' as const };
    const problems = await check(strong, { regions: ['us-east-1', 'us-east-2', 'us-west-2'], consistency: 'strong' });
    expect(problems).toEqual([expect.stringContaining(`${TABLE} is strongly consistent and cannot get a replica in us-west-2`)]);
    expect(problems[0]).toContain('destroy the stage and deploy again with the new regions');
  });

  it('preflight refuses with every problem at once and says nothing was changed', async () => {
    const refusal = await preflightReplicas({
      table: TABLE,
      home: 'us-east-1',
      regions: ['us-east-1', 'eu-west-1'],
      settings: { consistency: 'eventual' },
      clients: clients({ 'us-east-1': { ...healthy, BillingModeSummary: { BillingMode: 'PROVISIONED' }, StreamSpecification: undefined }, 'eu-west-1': { TableName: TABLE } }),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(ReplicaPreconditionFailed);
    const message = (refusal as Error).message;
    expect(message).toMatch(new RegExp(`^the global table ${TABLE} cannot get its replicas; nothing was changed:`));
    for (const part of ['uses provisioned capacity', 'has no NEW_AND_OLD_IMAGES stream', 'already exists in eu-west-1']) expect(message).toContain(part);
    expect((refusal as ReplicaPreconditionFailed).hint).toBe('fix the above and deploy again');
  });
});

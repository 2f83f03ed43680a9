import { DeleteObjectCommand, HeadObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { describeExit, jsonOf, e2eSuite } from './regionctl.js';

// `replication.topology: s3` as a user runs it (node bin/regionctl, the built dist/) against a
// local-cloud daemon this suite starts on ports the OS picks: deploy puts S3 replication rules on
// both buckets, an object written in one region arrives in the other as a REPLICA, status shows
// the two-way links, `replication heal` explains there is no chain to heal, and destroy empties the
// versioned buckets (versions, replicas, delete markers) and deletes every stack.
const REGIONS = ['us-east-1', 'eu-west-1'];
const suite = e2eSuite('repl-s3', { config: `service: mesh\nstage: e2e\nregions: [${REGIONS.join(', ')}]\ndns:\n  zone: mesh.example\n  createZone: true\nreplication:\n  topology: s3\n` });
const { run } = suite;

const s3 = (region: string) => new S3Client({ region, endpoint: suite.url, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

describe('replication topology s3 end to end', { timeout: 300_000 }, () => {
  it('deploy, an object replicated by S3 itself, status, heal refusing, and destroy emptying every version', async () => {
    const local = ['--local', '--port', String(suite.port), '--json'];
    const deployed = await run(['deploy', ...local], 280_000);
    expect(deployed.code, describeExit(['deploy'], deployed)).toBe(0);
    const doc = jsonOf<any>(deployed);
    const bucket = (region: string): string => doc.regions.find((r: any) => r.region === region).stacks.find((s: any) => s.stackName === 'mesh-e2e-replication').outputs.BucketName;

    await s3('us-east-1').send(new PutObjectCommand({ Bucket: bucket('us-east-1'), Key: 'doc', Body: 'hello', Metadata: { n: '1' } }));
    const deadline = Date.now() + 60_000;
    let head: HeadObjectCommandOutput | undefined;
    while (!head && Date.now() < deadline) {
      head = await s3('eu-west-1').send(new HeadObjectCommand({ Bucket: bucket('eu-west-1'), Key: 'doc' })).catch(() => undefined);
      if (!head) await new Promise((r) => setTimeout(r, 250));
    }
    expect(head).toMatchObject({ ReplicationStatus: 'REPLICA', Metadata: { n: '1' } });

    const status = await run(['status', ...local]);
    expect(jsonOf<any>(status).replication).toMatchObject({ topology: 's3', deployed: 'us-east-1 → eu-west-1; eu-west-1 → us-east-1', broken: false });

    const heal = await run(['replication', 'heal', '--local', '--port', String(suite.port)]);
    expect(heal.code, describeExit(['replication', 'heal'], heal)).toBe(2);
    expect(heal.stderr).toContain('topology s3 has no chain to heal');

    // The versioned buckets hold versions, replicas and now a delete marker: destroy empties them all first.
    await s3('us-east-1').send(new DeleteObjectCommand({ Bucket: bucket('us-east-1'), Key: 'doc' }));
    const destroyed = await run(['destroy', '--yes', ...local], 200_000);
    expect(destroyed.code, describeExit(['destroy', '--yes'], destroyed)).toBe(0);
    const left = (await s3('us-east-1').send(new ListBucketsCommand({}))).Buckets ?? [];
    expect(left.filter((b) => REGIONS.some((r) => b.Name === bucket(r)))).toEqual([]);
  });
});

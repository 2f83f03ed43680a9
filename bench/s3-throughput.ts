// Local cloud S3 vs s3rver: PutObject and GetObject of 1 KiB and 1 MiB objects, requests per
// second, replayed by autocannon (requests signed once by the SDK, see load.ts). The local cloud
// is a daemon as users start it (with its data dir); s3rver runs in its own process with its
// defaults (filesystem store in a temp dir, signatures verified). Goal: at least s3rver's rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { capture, capturingHandler, compareThroughput, startPeer, type WireRequest } from './load.js';
import { project, save, startDaemon } from './lib.js';

const CONNECTIONS = 8;
const SECONDS = 1.5;
const KEYS = 8;
const SIZES = { '1KiB': 1024, '1MiB': 1024 * 1024 } as const;
type Op = `${'PutObject' | 'GetObject'}${keyof typeof SIZES}`;

async function prepare(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }, create: boolean): Promise<Record<Op, WireRequest[]>> {
  const opts = { region: 'us-east-1', endpoint, credentials, forcePathStyle: true, maxAttempts: 1, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;
  const real = new S3Client(opts);
  const signer = new S3Client({ ...opts, requestHandler: capturingHandler });
  if (create) await real.send(new CreateBucketCommand({ Bucket: 'bench' }));
  const reqs = {} as Record<Op, WireRequest[]>;
  for (const [label, size] of Object.entries(SIZES) as Array<[keyof typeof SIZES, number]>) {
    const body = Buffer.alloc(size, 'x');
    const key = (i: number) => `obj-${label}-${i}`;
    for (let i = 0; i < KEYS; i++) await real.send(new PutObjectCommand({ Bucket: 'bench', Key: key(i), Body: body }));
    reqs[`PutObject${label}`] = await Promise.all(Array.from({ length: KEYS }, (_, i) => capture(signer, new PutObjectCommand({ Bucket: 'bench', Key: key(i), Body: body }))));
    reqs[`GetObject${label}`] = await Promise.all(Array.from({ length: KEYS }, (_, i) => capture(signer, new GetObjectCommand({ Bucket: 'bench', Key: key(i) }))));
  }
  real.destroy();
  return reqs;
}

const p = project();
const s3rverDir = mkdtempSync(join(tmpdir(), 'regionctl-bench-s3rver-'));
const daemon = await startDaemon(p.dir);
const peer = await startPeer('s3rver', s3rverDir);
try {
  const ours = await prepare(daemon.url, { accessKeyId: 'test', secretAccessKey: 'test' }, true);
  const theirs = await prepare(peer.url, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, false);
  const ops = Object.keys(ours) as Op[];
  const { rate, ratios, worst, measured } = await compareThroughput({ ops, ours: { url: daemon.url, requests: ours }, theirs: { url: peer.url, requests: theirs }, peerLabel: 'S3rver', connections: CONNECTIONS, seconds: SECONDS });
  save({
    name: 's3-throughput',
    figure: 'local cloud S3 vs s3rver, requests/s (worst of Put/Get × 1 KiB/1 MiB)',
    unit: 'requests/s',
    runs: rate,
    ratio: worst,
    goal: { op: '>=', value: 1 },
    measured,
    extra: { ratios, connections: CONNECTIONS, secondsPerRun: SECONDS, localCloud: 'daemon (regionctl local start) with its data dir', peer: 's3rver 3, filesystem store, own process' },
  });
} finally {
  peer.stop();
  await daemon.stop();
  p.remove();
  rmSync(s3rverDir, { recursive: true, force: true });
}

import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { createdObjects, type SnsEvent } from '../s3-events.js';
import { bucketFor, parseRegions, planReplication, type Topology } from './plan.js';

const clients = new Map<string, S3Client>();

// One client per region per container. Path-style addressing when an endpoint is configured
// (the local cloud serves path-style only); AWS serves both.
function s3(region: string): S3Client {
  let client = clients.get(region);
  if (!client) {
    client = new S3Client({ region, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined });
    clients.set(region, client);
  }
  return client;
}

async function etagIn(region: string, bucket: string, key: string): Promise<string | undefined> {
  try {
    return (await s3(region).send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
  } catch (e) {
    if (e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404) return undefined;
    throw e;
  }
}

export interface ReplicatorResult {
  copied: Array<{ key: string; to: string }>;
  skipped: Array<{ key: string; to?: string; why: string }>;
}

/**
 * S3 → SNS → here: copy each new object (body, content type, cache control, metadata) to this
 * region's target bucket(s), stamping `origin` only when absent and never into the origin bucket.
 * A target that already holds the same bytes (same ETag) is skipped: a backfill or a retried event
 * writes nothing twice. Any failed copy throws, so Lambda's asynchronous retries run it again.
 */
export async function handler(event: SnsEvent): Promise<ReplicatorResult> {
  const own = process.env.BUCKET_NAME ?? '';
  const prefix = process.env.BUCKET_PREFIX ?? '';
  const account = process.env.ACCOUNT_ID ?? '';
  const topology = (process.env.TOPOLOGY ?? 'ring') as Topology;
  const targetRegions = parseRegions(process.env.TARGET_REGIONS);
  const result: ReplicatorResult = { copied: [], skipped: [] };
  for (const object of createdObjects(event)) {
    if (object.bucket !== own) {
      result.skipped.push({ key: object.key, why: `event from ${object.bucket}, not this region's bucket` });
      continue;
    }
    const source = await s3(object.region).send(new GetObjectCommand({ Bucket: own, Key: object.key }));
    const body = await source.Body!.transformToByteArray();
    const plan = planReplication({ ownBucket: own, targets: targetRegions.map((r) => bucketFor(prefix, r, account)), metadata: source.Metadata ?? {}, topology });
    if (plan.targets.length === 0) result.skipped.push({ key: object.key, why: plan.origin === own ? 'no target' : `origin ${plan.origin}` });
    // Every target at once: fan-out's lag is one copy's, whatever the number of regions.
    await Promise.all(
      plan.targets.map(async (target, i) => {
        const region = targetRegions.find((r) => bucketFor(prefix, r, account) === target) ?? targetRegions[i]!;
        if ((await etagIn(region, target, object.key)) === source.ETag) {
          result.skipped.push({ key: object.key, to: target, why: 'already there' });
          return;
        }
        await s3(region).send(
          new PutObjectCommand({
            Bucket: target,
            Key: object.key,
            Body: body,
            ContentType: source.ContentType,
            CacheControl: source.CacheControl,
            Metadata: plan.metadata,
          }),
        );
        result.copied.push({ key: object.key, to: target });
      }),
    );
  }
  console.log(JSON.stringify(result));
  return result;
}

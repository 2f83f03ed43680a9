import type { S3Client } from '@aws-sdk/client-s3';
import { sdk } from '../aws/sdk.js';
import { STAGE_MARKER_PREFIX, stageMarkerKey } from '../stage/names.js';

/**
 * Which stages use a region's shared toolkit bucket, recorded in the bucket itself as
 * `stages/<service>/<stage>` objects: deploy writes its marker, destroy removes it and deletes the
 * toolkit only when no marker is left. Needs no permission beyond the toolkit bucket (finding other
 * stages by describing every stack in the account would need cloudformation:DescribeStacks on "*").
 */
const PREFIX = STAGE_MARKER_PREFIX;
const markerKey = stageMarkerKey;

export async function writeStageMarker(s3: S3Client, bucket: string, stage: { service: string; stage: string }, regions: string[]): Promise<void> {
  await s3.send(
    new (sdk('@aws-sdk/client-s3').PutObjectCommand)({
      Bucket: bucket,
      Key: markerKey(stage),
      Body: JSON.stringify({ service: stage.service, stage: stage.stage, regions }),
      ContentType: 'application/json',
      ServerSideEncryption: 'AES256',
    }),
  );
}

/** Remove this stage's marker; returns the other stages still using the bucket ("service/stage"). */
export async function releaseStageMarker(s3: S3Client, bucket: string, stage: { service: string; stage: string }): Promise<string[]> {
  const mine = markerKey(stage);
  const others: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new (sdk('@aws-sdk/client-s3').ListObjectsV2Command)({ Bucket: bucket, Prefix: PREFIX, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key && o.Key !== mine) others.push(o.Key.slice(PREFIX.length));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  await s3.send(new (sdk('@aws-sdk/client-s3').DeleteObjectsCommand)({ Bucket: bucket, Delete: { Objects: [{ Key: mine }], Quiet: true } }));
  return others.sort();
}

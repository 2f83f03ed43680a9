import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createdObjects, type SnsEvent } from '../s3-events.js';
import { viewItem } from './view.js';

let s3: S3Client | undefined;
let dynamodb: DynamoDBClient | undefined;

/**
 * S3 → SNS → here: one item per object in this region's view table (the stand-in for a regional
 * search store, which is not replicated: each region indexes what arrives in its own bucket).
 */
export async function handler(event: SnsEvent): Promise<{ indexed: string[] }> {
  s3 ??= new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined });
  dynamodb ??= new DynamoDBClient({});
  const table = process.env.VIEW_TABLE;
  if (!table) throw new Error('VIEW_TABLE is not set');
  const indexed: string[] = [];
  for (const object of createdObjects(event)) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: object.bucket, Key: object.key }));
    const item = viewItem({
      key: object.key,
      bucket: object.bucket,
      region: process.env.AWS_REGION ?? object.region,
      contentType: head.ContentType,
      size: head.ContentLength ?? 0,
      etag: head.ETag ?? '',
      metadata: head.Metadata ?? {},
      indexedAt: new Date().toISOString(),
    });
    await dynamodb.send(new PutItemCommand({ TableName: table, Item: item }));
    indexed.push(object.key);
  }
  return { indexed };
}

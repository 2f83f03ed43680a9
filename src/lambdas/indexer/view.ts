import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export interface ViewEntry {
  key: string;
  bucket: string;
  region: string;
  contentType?: string;
  size: number;
  etag: string;
  metadata: Record<string, string>;
  indexedAt: string;
}

/** The view table's item for one object: its key (the partition key), where it came from, what it is. */
export function viewItem(e: ViewEntry): Record<string, AttributeValue> {
  return {
    key: { S: e.key },
    bucket: { S: e.bucket },
    region: { S: e.region },
    origin: { S: e.metadata.origin ?? e.bucket },
    contentType: { S: e.contentType ?? 'binary/octet-stream' },
    size: { N: String(e.size) },
    etag: { S: e.etag },
    indexedAt: { S: e.indexedAt },
    // Lower-cased for case-insensitive search (DynamoDB's contains() is case-sensitive).
    search: { S: e.key.toLowerCase() },
  };
}

// The parts of the S3 → SNS → Lambda contract the bundled replication handlers use, declared here
// so the bundles need no @types/aws-lambda. The SNS message body is S3's event message:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
export interface SnsEvent {
  Records?: Array<{ Sns?: { Message?: string } }>;
}

export interface S3ObjectRef {
  bucket: string;
  key: string;
  region: string;
  eTag?: string;
}

interface S3EventRecord {
  eventName?: string;
  awsRegion?: string;
  s3?: { bucket?: { name?: string }; object?: { key?: string; eTag?: string } };
}

/** S3 writes keys form-encoded into its events: '+' is a space, %XX a byte. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * The objects created, from every SNS record's S3 event. S3's s3:TestEvent (sent when the bucket's
 * notifications are configured) and other event types carry none.
 */
export function createdObjects(event: SnsEvent): S3ObjectRef[] {
  const out: S3ObjectRef[] = [];
  for (const record of event.Records ?? []) {
    let message: { Records?: S3EventRecord[] };
    try {
      message = JSON.parse(record.Sns?.Message ?? '{}') as { Records?: S3EventRecord[] };
    } catch {
      continue;
    }
    for (const r of message.Records ?? []) {
      const bucket = r.s3?.bucket?.name;
      const key = r.s3?.object?.key;
      if (!r.eventName?.startsWith('ObjectCreated:') || !bucket || key === undefined || !r.awsRegion) continue;
      out.push({ bucket, key: decodeEventKey(key), region: r.awsRegion, ...(r.s3?.object?.eTag ? { eTag: r.s3.object.eTag } : {}) });
    }
  }
  return out;
}

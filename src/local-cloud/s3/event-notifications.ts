// S3 event notifications, delivered: ObjectCreated events to SNS topics (as the topic's policy
// allows S3 to publish) and to Lambda functions (as the function's resource policy allows S3 to
// invoke), in S3's event message structure, version 2.1:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
// PutBucketNotificationConfiguration first checks every destination and sends topics an
// s3:TestEvent: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
import { randomBytes } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import type { ObjectEvent, S3Domain } from './domain.js';
import type { NotificationConfig, NotificationTarget } from './model.js';

const S3_PRINCIPAL = 's3.amazonaws.com';
const SUBJECT = 'Amazon S3 Notification';

interface SnsForS3 {
  servicePublishAllowed(topicArn: string, publisher: { principal: string; sourceArn: string; sourceAccount: string }): boolean;
  publishFromService(topicArn: string, message: string, subject: string | undefined, publisher: { principal: string; sourceArn: string; sourceAccount: string }): unknown;
}

interface LambdaForS3 {
  invoke(region: string, nameOrArn: string, payload: string, opts: { invocationType: 'Event' | 'DryRun'; principal: string; sourceArn: string }): Promise<unknown>;
}

function optionalService<T>(ctx: CloudContext, name: 'sns' | 'lambda'): T | undefined {
  try {
    return (ctx.service(name) as T | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keys in S3 events are URL-encoded the way HTML forms are: "red flower.jpg" → "red+flower.jpg"; '/' stays. */
export function eventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

const matches = (target: NotificationTarget, eventName: string, key: string) =>
  target.events.some((e) => e === eventName || (e.endsWith('*') && eventName.startsWith(e.slice(0, -1)))) &&
  key.startsWith(target.prefix ?? '') &&
  key.endsWith(target.suffix ?? '');

/** One S3 event record (eventVersion 2.1) for an object written in `bucket`. */
export function objectCreatedRecord(
  ctx: CloudContext,
  region: string,
  bucket: string,
  key: string,
  event: ObjectEvent,
  configurationId: string,
): Record<string, unknown> {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: new Date(ctx.clock.now()).toISOString(),
    eventName: event.eventName.replace(/^s3:/, ''),
    userIdentity: { principalId: `AWS:${ctx.accountId}` },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(), 'x-amz-id-2': randomBytes(48).toString('base64') },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: bucket, ownerIdentity: { principalId: ctx.accountId }, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key: eventKey(key),
        size: event.size,
        eTag: event.etag,
        ...(event.versionId !== 'null' ? { versionId: event.versionId } : {}),
        sequencer: event.sequencer,
      },
    },
  };
}

/** Sends an object-created event to every matching destination of the bucket; a refused one is logged and dropped, as on AWS. */
export function deliverObjectCreated(ctx: CloudContext, s3: S3Domain, region: string, bucket: string, key: string, event: ObjectEvent): void {
  const config = s3.bucket(bucket).notification;
  const sourceArn = `arn:aws:s3:::${bucket}`;
  const publisher = { principal: S3_PRINCIPAL, sourceArn, sourceAccount: ctx.accountId };
  for (const target of config.topics.filter((t) => matches(t, event.eventName, key))) {
    const message = JSON.stringify({ Records: [objectCreatedRecord(ctx, region, bucket, key, event, target.id)] });
    const sns = optionalService<SnsForS3>(ctx, 'sns');
    try {
      if (!sns) throw new Error('SNS is not running in this local cloud');
      sns.publishFromService(target.arn, message, SUBJECT, publisher);
    } catch (e) {
      ctx.log(`s3: event for ${bucket}/${key} not delivered to ${target.arn}: ${(e as Error).message}`);
    }
  }
  for (const target of config.lambdas.filter((t) => matches(t, event.eventName, key))) {
    const lambda = optionalService<LambdaForS3>(ctx, 'lambda');
    const payload = JSON.stringify({ Records: [objectCreatedRecord(ctx, region, bucket, key, event, target.id)] });
    lambda
      ?.invoke(region, target.arn, payload, { invocationType: 'Event', principal: S3_PRINCIPAL, sourceArn })
      .catch((e: unknown) => ctx.log(`s3: event for ${bucket}/${key} not delivered to ${target.arn}: ${(e as Error).message}`));
  }
}

const unableToValidate = (arn: string) =>
  new AwsError('InvalidArgument', 'Unable to validate the following destination configurations', 400, true, {
    ArgumentName: arn,
    ArgumentValue: 'Unable to validate the following destination configurations',
  });

/**
 * What PutBucketNotificationConfiguration checks before storing: each topic and function is in the
 * bucket's region and lets S3 publish / invoke for this bucket; queues cannot be validated (the
 * local cloud has no SQS). Topics then get S3's test event.
 */
export async function checkDestinations(ctx: CloudContext, region: string, bucket: string, config: NotificationConfig): Promise<void> {
  const sourceArn = `arn:aws:s3:::${bucket}`;
  const publisher = { principal: S3_PRINCIPAL, sourceArn, sourceAccount: ctx.accountId };
  const regionOf = (arn: string) => arn.split(':')[3];
  for (const target of [...config.topics, ...config.queues, ...config.lambdas]) {
    if (regionOf(target.arn) !== region)
      throw new AwsError('InvalidArgument', 'The notification destination service region is not valid for the bucket location constraint', 400, true, {
        ArgumentName: target.arn,
        ArgumentValue: target.arn,
      });
    if (target.events.length === 0 || target.events.some((e) => !/^s3:[A-Za-z]+(:[A-Za-z*]+)?(:\*)?$/.test(e)))
      throw new AwsError('InvalidArgument', 'The event is not supported for notifications', 400, true, { ArgumentName: 'Event', ArgumentValue: target.events.join(',') });
  }
  const sns = optionalService<SnsForS3>(ctx, 'sns');
  for (const target of config.topics) if (!sns?.servicePublishAllowed(target.arn, publisher)) throw unableToValidate(target.arn);
  if (config.queues.length > 0) throw unableToValidate(config.queues[0]!.arn);
  const lambda = optionalService<LambdaForS3>(ctx, 'lambda');
  for (const target of config.lambdas) {
    const ok = await lambda?.invoke(region, target.arn, '{}', { invocationType: 'DryRun', principal: S3_PRINCIPAL, sourceArn }).then(
      () => true,
      () => false,
    );
    if (!ok) throw unableToValidate(target.arn);
  }
  for (const target of config.topics) {
    const test = { Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(ctx.clock.now()).toISOString(), Bucket: bucket, RequestId: randomBytes(8).toString('hex').toUpperCase(), HostId: randomBytes(48).toString('base64') };
    sns!.publishFromService(target.arn, JSON.stringify(test), SUBJECT, publisher);
  }
}

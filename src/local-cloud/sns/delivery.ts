// SNS delivery to Lambda subscriptions: the SNS event (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html)
// as an asynchronous invoke by sns.amazonaws.com, retried as SNS retries AWS-managed endpoints
// (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html): after a server-side
// error (5xx, throttling) 3 immediate retries, 2 at 1 second, 10 with exponential backoff from 1 to
// 20 seconds, then 100,000 at 20 seconds — 100,015 retries over about 23 days — on the cloud clock.
// A client-side error (the function deleted, its policy refusing SNS) is not retried.
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { filterMatches, type MessageAttribute, type Scope } from './filter-policy.js';

export interface Delivery {
  at: number;
  subscriptionArn: string;
  messageId: string;
  ok: boolean;
  error?: string;
  /** Retries so far (absent: none). */
  retries?: number;
}

interface LambdaInvoker {
  invoke(region: string, nameOrArn: string, payload: string, opts: { invocationType: 'Event'; principal: string; sourceArn: string }): Promise<unknown>;
}

export interface DeliveryTopic {
  arn: string;
  attributes: Record<string, string>;
}

export interface DeliverySubscription {
  arn: string;
  topicArn: string;
  endpoint: string;
  filterPolicy?: string;
  filterPolicyScope: Scope;
}

const PRINCIPAL = 'sns.amazonaws.com';
const DELIVERY_LIMIT = 200;
export const SNS_LAMBDA_RETRIES = 100_015;

/** Milliseconds before retry `n` (0-based) of the AWS-managed delivery policy. */
export function retryDelayMs(n: number): number {
  if (n < 3) return 0;
  if (n < 5) return 1000;
  if (n < 15) return Math.round(1000 * 20 ** ((n - 5) / 9));
  return 20_000;
}

const serverSide = (e: unknown) => e instanceof AwsError && (e.status >= 500 || e.status === 429);

/** Delivers one published message to every subscription of the topic whose filter passes, recording each delivery. */
export function deliver(
  ctx: CloudContext,
  topic: DeliveryTopic,
  subscriptions: DeliverySubscription[],
  log: { deliveries: Delivery[]; changed(): void },
  message: { id: string; body: string; subject: string | undefined; attributes: Record<string, MessageAttribute> },
): void {
  const region = topic.arn.split(':')[3]!;
  const now = ctx.clock.now();
  const lambda: LambdaInvoker | undefined = ctx.service('lambda');
  for (const sub of subscriptions) {
    if (sub.filterPolicy !== undefined && !filterMatches(JSON.parse(sub.filterPolicy), sub.filterPolicyScope, message.body, message.attributes)) continue;
    const entry: Delivery = { at: now, subscriptionArn: sub.arn, messageId: message.id, ok: true };
    log.deliveries.push(entry);
    if (log.deliveries.length > DELIVERY_LIMIT) log.deliveries.splice(0, log.deliveries.length - DELIVERY_LIMIT);
    log.changed();
    if (!lambda) {
      Object.assign(entry, { ok: false, error: 'Lambda is not available in this local cloud' });
      continue;
    }
    const payload = JSON.stringify(snsEvent(ctx, topic, sub, message, now));
    const fail = (e: unknown, retries: number) => {
      Object.assign(entry, { ok: false, error: (e as Error).message, ...(retries ? { retries } : {}) });
      log.changed();
    };
    const attempt = (retries: number): void => {
      let call: Promise<unknown>;
      try {
        call = lambda.invoke(region, sub.endpoint, payload, { invocationType: 'Event', principal: PRINCIPAL, sourceArn: topic.arn });
      } catch (e) {
        call = Promise.reject(e);
      }
      call.then(
        () => {
          if (retries === 0) return;
          Object.assign(entry, { ok: true, retries });
          delete entry.error;
          log.changed();
        },
        (e: unknown) => {
          if (!serverSide(e) || retries >= SNS_LAMBDA_RETRIES) return fail(e, retries);
          Object.assign(entry, { ok: false, error: `${(e as Error).message} (retrying)`, retries });
          ctx.clock.after(retryDelayMs(retries), () => attempt(retries + 1));
        },
      );
    };
    attempt(0);
  }
}

function snsEvent(ctx: CloudContext, topic: DeliveryTopic, sub: DeliverySubscription, message: { id: string; body: string; subject: string | undefined; attributes: Record<string, MessageAttribute> }, now: number) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: sub.arn,
        Sns: {
          Type: 'Notification',
          MessageId: message.id,
          TopicArn: topic.arn,
          Subject: message.subject ?? null,
          Message: message.body,
          Timestamp: new Date(now).toISOString(),
          SignatureVersion: topic.attributes.SignatureVersion ?? '1',
          Signature: 'LOCALCLOUD',
          SigningCertUrl: `${ctx.url()}/_localcloud/sns/SimpleNotificationService.pem`,
          UnsubscribeUrl: `${ctx.url()}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.arn)}`,
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([name, a]) => [name, { Type: a.DataType, Value: a.DataType.startsWith('Binary') ? a.BinaryValue : a.StringValue }]),
          ),
        },
      },
    ],
  };
}

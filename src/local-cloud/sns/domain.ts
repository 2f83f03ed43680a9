// SNS standard topics with Lambda subscriptions: topics, attributes (Policy included), filter
// policies, Publish/PublishBatch delivering the SNS event shape to Lambda asynchronously.
import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { dict, dictFrom, keyedState, own } from '../keyed.js';
import { deliver, type Delivery } from './delivery.js';
import { parseFilterPolicy, type MessageAttribute, type Scope } from './filter-policy.js';

export type { Delivery } from './delivery.js';
import { topicPolicyAllows, type ServicePublisher } from './topic-policy.js';

export interface Topic {
  arn: string;
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: 'lambda';
  endpoint: string;
  owner: string;
  filterPolicy?: string;
  filterPolicyScope: Scope;
}

interface SnsState {
  regions: Record<string, { topics: Record<string, Topic>; subscriptions: Record<string, Subscription>; deliveries: Delivery[] }>;
}

const NAME = /^[A-Za-z0-9_-]{1,256}$/;
const MESSAGE_LIMIT = 256 * 1024;
const TOPIC_ATTRIBUTES = new Set(['DisplayName', 'Policy', 'DeliveryPolicy', 'KmsMasterKeyId', 'TracingConfig', 'SignatureVersion', 'ArchivePolicy']);

const invalid = (what: string) => new AwsError('InvalidParameter', `Invalid parameter: ${what}`);
const notFound = (what: string) => new AwsError('NotFound', `${what} does not exist`, 404);

export class SnsDomain {
  constructor(private readonly ctx: CloudContext) {}

  private get state(): SnsState {
    return keyedState<SnsState>(this.ctx.state, 'sns', () => ({ regions: dict() }));
  }

  private region(region: string) {
    return (this.state.regions[region] ??= { topics: dict(), subscriptions: dict(), deliveries: [] });
  }

  // Declares the whole document (state write barrier): it holds only small, bounded records.
  private dirty(): void {
    this.ctx.state.changed('sns');
  }

  topicArn(region: string, name: string): string {
    return `arn:aws:sns:${region}:${this.ctx.accountId}:${name}`;
  }

  defaultPolicy(arn: string): string {
    return JSON.stringify({
      Version: '2008-10-17',
      Id: '__default_policy_ID',
      Statement: [
        {
          Sid: '__default_statement_ID',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
          Resource: arn,
          Condition: { StringEquals: { 'AWS:SourceOwner': this.ctx.accountId } },
        },
      ],
    });
  }

  /** The topic an ARN names, or NotFound; the ARN's region is the topic's. */
  topic(arn: unknown): Topic {
    const m = typeof arn === 'string' ? /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]+)$/.exec(arn) : null;
    if (!m) throw invalid('TopicArn');
    const topic = own(this.state.regions[m[1]!]?.topics, arn as string);
    if (!topic) throw notFound('Topic');
    return topic;
  }

  private checkAttribute(name: string, value: string): void {
    if (!TOPIC_ATTRIBUTES.has(name)) throw invalid(`AttributeName${name === 'FifoTopic' ? ': the local cloud does not implement FIFO topics' : ''}`);
    if (name === 'Policy') {
      let doc: unknown;
      try {
        doc = JSON.parse(value);
      } catch {
        throw invalid('Policy: failed to parse JSON');
      }
      if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { Statement?: unknown }).Statement))
        throw invalid('Policy Error: null');
    }
  }

  createTopic(region: string, input: { Name?: string; Attributes?: Record<string, string>; Tags?: Array<{ Key: string; Value: string }> }): { TopicArn: string } {
    const name = input.Name ?? '';
    if (name.endsWith('.fifo') || input.Attributes?.FifoTopic === 'true') throw invalid('the local cloud does not implement FIFO topics');
    if (!NAME.test(name)) throw invalid('Topic Name');
    const attributes = input.Attributes ?? {};
    for (const [k, v] of Object.entries(attributes)) this.checkAttribute(k, v);
    const arn = this.topicArn(region, name);
    const topics = this.region(region).topics;
    const existing = own(topics, arn);
    if (existing) {
      // CreateTopic is idempotent, but not with different attributes.
      for (const [k, v] of Object.entries(attributes))
        if (existing.attributes[k] !== v) throw invalid('Attributes Reason: Topic already exists with different attributes');
      return { TopicArn: arn };
    }
    topics[arn] = {
      arn,
      name,
      attributes: dictFrom(Object.entries({ Policy: this.defaultPolicy(arn), DisplayName: '', ...attributes })),
      tags: dictFrom((input.Tags ?? []).map((t) => [t.Key, t.Value] as const)),
    };
    this.dirty();
    return { TopicArn: arn };
  }

  deleteTopic(_region: string, input: { TopicArn?: string }): void {
    let topic: Topic;
    try {
      topic = this.topic(input.TopicArn);
    } catch (e) {
      if (e instanceof AwsError && e.code === 'NotFound') return; // deleting a missing topic succeeds
      throw e;
    }
    const r = this.region(topic.arn.split(':')[3]!);
    delete r.topics[topic.arn];
    for (const sub of Object.values(r.subscriptions)) if (sub.topicArn === topic.arn) delete r.subscriptions[sub.arn];
    this.dirty();
  }

  listTopics(region: string, input: { NextToken?: string }): { Topics: Array<{ TopicArn: string }>; NextToken?: string } {
    const arns = Object.keys(this.region(region).topics).sort();
    const start = input.NextToken ? arns.indexOf(input.NextToken) : 0;
    if (start < 0) throw invalid('NextToken');
    const page = arns.slice(start, start + 100);
    return { Topics: page.map((TopicArn) => ({ TopicArn })), ...(start + 100 < arns.length ? { NextToken: arns[start + 100]! } : {}) };
  }

  getTopicAttributes(_region: string, input: { TopicArn?: string }): Record<string, string> {
    const topic = this.topic(input.TopicArn);
    const subs = Object.values(this.region(topic.arn.split(':')[3]!).subscriptions).filter((s) => s.topicArn === topic.arn);
    return {
      ...topic.attributes,
      TopicArn: topic.arn,
      Owner: this.ctx.accountId,
      SubscriptionsConfirmed: String(subs.length),
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' }, disableSubscriptionOverrides: false } }),
    };
  }

  setTopicAttributes(_region: string, input: { TopicArn?: string; AttributeName?: string; AttributeValue?: string }): void {
    const topic = this.topic(input.TopicArn);
    const name = input.AttributeName ?? '';
    const value = input.AttributeValue ?? '';
    this.checkAttribute(name, value);
    topic.attributes[name] = value;
    this.dirty();
  }

  subscribe(region: string, input: { TopicArn?: string; Protocol?: string; Endpoint?: string; Attributes?: Record<string, string> }): { SubscriptionArn: string } {
    const topic = this.topic(input.TopicArn);
    if (input.Protocol !== 'lambda')
      throw invalid(`Protocol: the local cloud delivers to lambda subscriptions only, not ${input.Protocol ?? '(none)'}`);
    if (!/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/.test(input.Endpoint ?? '')) throw invalid('Lambda endpoint ARN');
    const attributes = input.Attributes ?? {};
    const scope = (attributes.FilterPolicyScope ?? 'MessageAttributes') as Scope;
    if (scope !== 'MessageAttributes' && scope !== 'MessageBody') throw invalid('Attributes Reason: FilterPolicyScope: Invalid value');
    for (const k of Object.keys(attributes))
      if (!['FilterPolicy', 'FilterPolicyScope'].includes(k)) throw invalid(`Attributes Reason: Unknown or unsupported attribute ${k} for protocol lambda`);
    if (attributes.FilterPolicy !== undefined) parseFilterPolicy(attributes.FilterPolicy, scope);
    const r = this.region(topic.arn.split(':')[3]!);
    // Subscribing the same endpoint again returns the existing subscription.
    const existing = Object.values(r.subscriptions).find((s) => s.topicArn === topic.arn && s.endpoint === input.Endpoint);
    if (existing) return { SubscriptionArn: existing.arn };
    const arn = `${topic.arn}:${randomUUID()}`;
    r.subscriptions[arn] = {
      arn,
      topicArn: topic.arn,
      protocol: 'lambda',
      endpoint: input.Endpoint!,
      owner: this.ctx.accountId,
      ...(attributes.FilterPolicy !== undefined ? { filterPolicy: attributes.FilterPolicy } : {}),
      filterPolicyScope: scope,
    };
    void region;
    this.dirty();
    return { SubscriptionArn: arn };
  }

  subscription(arn: unknown): Subscription {
    const m = typeof arn === 'string' ? /^arn:aws:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]+:[0-9a-f-]{36}$/.exec(arn) : null;
    if (!m) throw invalid('SubscriptionArn');
    const sub = own(this.state.regions[m[1]!]?.subscriptions, arn as string);
    if (!sub) throw notFound('Subscription');
    return sub;
  }

  unsubscribe(_region: string, input: { SubscriptionArn?: string }): void {
    const sub = this.subscription(input.SubscriptionArn);
    delete this.region(sub.arn.split(':')[3]!).subscriptions[sub.arn];
    this.dirty();
  }

  private describeSub(s: Subscription) {
    return { SubscriptionArn: s.arn, Owner: s.owner, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn };
  }

  listSubscriptions(region: string): { Subscriptions: ReturnType<SnsDomain['describeSub']>[] } {
    return { Subscriptions: Object.values(this.region(region).subscriptions).map((s) => this.describeSub(s)) };
  }

  listSubscriptionsByTopic(_region: string, input: { TopicArn?: string }): { Subscriptions: ReturnType<SnsDomain['describeSub']>[] } {
    const topic = this.topic(input.TopicArn);
    return { Subscriptions: Object.values(this.region(topic.arn.split(':')[3]!).subscriptions).filter((s) => s.topicArn === topic.arn).map((s) => this.describeSub(s)) };
  }

  getSubscriptionAttributes(_region: string, input: { SubscriptionArn?: string }): Record<string, string> {
    const s = this.subscription(input.SubscriptionArn);
    return {
      SubscriptionArn: s.arn,
      TopicArn: s.topicArn,
      Owner: s.owner,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      ConfirmationWasAuthenticated: 'true',
      PendingConfirmation: 'false',
      RawMessageDelivery: 'false',
      ...(s.filterPolicy !== undefined ? { FilterPolicy: s.filterPolicy, FilterPolicyScope: s.filterPolicyScope } : {}),
    };
  }

  setSubscriptionAttributes(_region: string, input: { SubscriptionArn?: string; AttributeName?: string; AttributeValue?: string }): void {
    const s = this.subscription(input.SubscriptionArn);
    const value = input.AttributeValue ?? '';
    if (input.AttributeName === 'FilterPolicy') {
      if (value === '') delete s.filterPolicy;
      else {
        parseFilterPolicy(value, s.filterPolicyScope);
        s.filterPolicy = value;
      }
    } else if (input.AttributeName === 'FilterPolicyScope') {
      if (value !== 'MessageAttributes' && value !== 'MessageBody') throw invalid('Attributes Reason: FilterPolicyScope: Invalid value');
      if (s.filterPolicy !== undefined) parseFilterPolicy(s.filterPolicy, value);
      s.filterPolicyScope = value;
    } else throw invalid(`AttributeName: ${input.AttributeName ?? '(none)'} is not supported for protocol lambda`);
    this.dirty();
  }

  // ---- publishing ----

  private checkMessage(message: unknown, attributes: Record<string, MessageAttribute>, subject?: string): asserts message is string {
    if (typeof message !== 'string' || message.length === 0) throw invalid('Message');
    if (Buffer.byteLength(message) + JSON.stringify(attributes).length > MESSAGE_LIMIT) throw invalid('Message too long');
    if (subject !== undefined && (subject.length === 0 || subject.length > 100 || /[\r\n]/.test(subject))) throw invalid('Subject');
    const names = Object.keys(attributes);
    if (names.length > 10) throw invalid('MessageAttributes: the message has too many attributes (at most 10)');
    for (const [name, attr] of Object.entries(attributes)) {
      if (!/^(String|Number|Binary)(\.[A-Za-z0-9]+)?$/.test(attr?.DataType ?? ''))
        throw invalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
      if (attr.DataType.startsWith('Number') && !Number.isFinite(Number(attr.StringValue)))
        throw invalid(`Could not cast message attribute '${name}' value to number.`);
      if (!attr.DataType.startsWith('Binary') && attr.StringValue === undefined)
        throw invalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${attr.DataType}'.`);
    }
  }

  publish(_region: string, input: { TopicArn?: string; TargetArn?: string; Message?: string; Subject?: string; MessageAttributes?: Record<string, MessageAttribute> }): { MessageId: string } {
    const topic = this.topic(input.TopicArn ?? input.TargetArn);
    const attributes = input.MessageAttributes ?? {};
    this.checkMessage(input.Message, attributes, input.Subject);
    const messageId = randomUUID();
    this.deliver(topic, messageId, input.Message, input.Subject, attributes);
    return { MessageId: messageId };
  }

  publishBatch(
    _region: string,
    input: { TopicArn?: string; PublishBatchRequestEntries?: Array<{ Id?: string; Message?: string; Subject?: string; MessageAttributes?: Record<string, MessageAttribute> }> },
  ) {
    const topic = this.topic(input.TopicArn);
    const entries = input.PublishBatchRequestEntries ?? [];
    if (entries.length === 0) throw new AwsError('EmptyBatchRequest', 'The batch request doesn\'t contain any entries.');
    if (entries.length > 10) throw new AwsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
    const ids = entries.map((e) => e.Id ?? '');
    if (new Set(ids).size !== ids.length) throw new AwsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    if (ids.some((id) => !/^[A-Za-z0-9_-]{1,80}$/.test(id))) throw new AwsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    const total = entries.reduce((n, e) => n + Buffer.byteLength(e.Message ?? '') + JSON.stringify(e.MessageAttributes ?? {}).length, 0);
    if (total > MESSAGE_LIMIT) throw new AwsError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
    const Successful: Array<{ Id: string; MessageId: string }> = [];
    const Failed: Array<{ Id: string; Code: string; Message: string; SenderFault: boolean }> = [];
    for (const entry of entries) {
      const attributes = entry.MessageAttributes ?? {};
      try {
        this.checkMessage(entry.Message, attributes, entry.Subject);
      } catch (e) {
        const err = e as AwsError;
        Failed.push({ Id: entry.Id!, Code: err.code, Message: err.message, SenderFault: true });
        continue;
      }
      const messageId = randomUUID();
      this.deliver(topic, messageId, entry.Message, entry.Subject, attributes);
      Successful.push({ Id: entry.Id!, MessageId: messageId });
    }
    return { Successful, Failed };
  }

  /** Whether the topic exists and its policy lets an AWS service (S3 notifications) publish to it. */
  servicePublishAllowed(topicArn: string, publisher: ServicePublisher): boolean {
    try {
      const topic = this.topic(topicArn);
      return topicPolicyAllows(topic.attributes.Policy, topic.arn, publisher);
    } catch {
      return false;
    }
  }

  /** A publish by an AWS service on the account's behalf, judged by the topic policy alone (AuthorizationError otherwise). */
  publishFromService(topicArn: string, message: string, subject: string | undefined, publisher: ServicePublisher): { MessageId: string } {
    const topic = this.topic(topicArn);
    if (!topicPolicyAllows(topic.attributes.Policy, topic.arn, publisher))
      throw new AwsError('AuthorizationError', `${publisher.principal} is not authorized to perform: SNS:Publish on resource: ${topic.arn}`, 403);
    const messageId = randomUUID();
    this.deliver(topic, messageId, message, subject, {});
    return { MessageId: messageId };
  }

  /** Lambda events for every subscription whose filter passes, with SNS's retries (delivery.ts). */
  private deliver(topic: Topic, messageId: string, message: string, subject: string | undefined, attributes: Record<string, MessageAttribute>): void {
    const r = this.region(topic.arn.split(':')[3]!);
    const subs = Object.values(r.subscriptions).filter((s) => s.topicArn === topic.arn);
    deliver(this.ctx, topic, subs, { deliveries: r.deliveries, changed: () => this.dirty() }, { id: messageId, body: message, subject, attributes });
  }

  /** Recent deliveries in a region (tests, status). */
  deliveries(region: string): Delivery[] {
    return [...this.region(region).deliveries];
  }

  tagResource(_region: string, input: { ResourceArn?: string; Tags?: Array<{ Key: string; Value: string }> }): void {
    const topic = this.topic(input.ResourceArn);
    for (const t of input.Tags ?? []) topic.tags[t.Key] = t.Value;
    this.dirty();
  }

  untagResource(_region: string, input: { ResourceArn?: string; TagKeys?: string[] }): void {
    const topic = this.topic(input.ResourceArn);
    for (const k of input.TagKeys ?? []) delete topic.tags[k];
    this.dirty();
  }

  listTagsForResource(_region: string, input: { ResourceArn?: string }): { Tags: Array<{ Key: string; Value: string }> } {
    return { Tags: Object.entries(this.topic(input.ResourceArn).tags).map(([Key, Value]) => ({ Key, Value })) };
  }
}

// SNS's awsQuery operations → domain calls; attribute maps go out as entry lists. Each operation's
// input is parsed by its schema first (the query protocol hands over whatever the form held), so
// the domain receives the shapes it declares, and a member of the wrong shape, a missing required
// member or a value outside SNS's documented limits is refused as SNS refuses it: 400
// InvalidParameter "Invalid parameter: <Member>" (https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html;
// limits from each action's Request Parameters, e.g.
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html: Subject ≤ 100 characters,
// MessageGroupId / MessageDeduplicationId ≤ 128; https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html:
// TopicArn and Protocol required; https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html:
// at most 10 entries, Id ≤ 80 characters of alphanumerics, hyphens and underscores).
import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import type { QueryOp } from '../protocols/query.js';
import { entryMap } from '../protocols/xml.js';
import type { SnsDomain } from './domain.js';

const text = z.string();
// The SDKs send an empty list or map as a bare "Name=": no members.
const orEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const stringMap = orEmpty(z.record(z.string(), z.string()));
const tags = orEmpty(z.array(z.strictObject({ Key: z.string(), Value: z.string() })));
const messageAttributes = z.record(z.string(), z.looseObject({ DataType: z.string(), StringValue: z.string().optional(), BinaryValue: z.string().optional() }));
const topicArn = z.looseObject({ TopicArn: text });
const subscriptionArn = z.looseObject({ SubscriptionArn: text });
const resourceArn = z.looseObject({ ResourceArn: text });
const attribute = { AttributeName: text, AttributeValue: text.optional() };
const publishFields = {
  Message: text,
  Subject: text.max(100).optional(),
  MessageAttributes: orEmpty(messageAttributes),
  MessageStructure: text.optional(),
  MessageGroupId: text.max(128).optional(),
  MessageDeduplicationId: text.max(128).optional(),
};

const schemas = {
  CreateTopic: z.looseObject({ Name: text, Attributes: stringMap, Tags: tags, DataProtectionPolicy: text.optional() }),
  DeleteTopic: topicArn,
  ListTopics: z.looseObject({ NextToken: text.optional() }),
  GetTopicAttributes: topicArn,
  SetTopicAttributes: z.looseObject({ TopicArn: text, ...attribute }),
  Subscribe: z.looseObject({ TopicArn: text, Protocol: text, Endpoint: text.optional(), Attributes: stringMap, ReturnSubscriptionArn: text.optional() }),
  Unsubscribe: subscriptionArn,
  ListSubscriptions: z.looseObject({ NextToken: text.optional() }),
  ListSubscriptionsByTopic: z.looseObject({ TopicArn: text, NextToken: text.optional() }),
  GetSubscriptionAttributes: subscriptionArn,
  SetSubscriptionAttributes: z.looseObject({ SubscriptionArn: text, ...attribute }),
  Publish: z.looseObject({ TopicArn: text.optional(), TargetArn: text.optional(), PhoneNumber: text.optional(), ...publishFields }),
  PublishBatch: z.looseObject({
    TopicArn: text,
    PublishBatchRequestEntries: z.array(z.looseObject({ Id: text.max(80).regex(/^[A-Za-z0-9_-]+$/), ...publishFields })).max(10),
  }),
  TagResource: z.looseObject({ ResourceArn: text, Tags: tags }),
  UntagResource: z.looseObject({ ResourceArn: text, TagKeys: orEmpty(z.array(text)) }),
  ListTagsForResource: resourceArn,
};
type Schemas = typeof schemas;

// SNS names the first offending member, top-level (Invalid parameter: Subject), or the entry list for PublishBatch.
function parse<K extends keyof Schemas>(name: K, input: unknown): z.infer<Schemas[K]> {
  const result = schemas[name].safeParse(input);
  if (result.success) return result.data as z.infer<Schemas[K]>;
  const issue = result.error.issues[0]!;
  if (name === 'PublishBatch' && issue.path[0] === 'PublishBatchRequestEntries' && issue.code === 'too_big')
    throw new AwsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.', 400);
  throw new AwsError('InvalidParameter', `Invalid parameter: ${String(issue.path[0] ?? name)}`, 400);
}

export function snsOps(sns: SnsDomain): Record<string, QueryOp> {
  const op =
    <K extends keyof Schemas>(name: K, fn: (region: string, input: z.infer<Schemas[K]>) => unknown): [K, QueryOp] => [
      name,
      async (input, req) => (fn(req.region, parse(name, input)) as Record<string, unknown> | void) ?? undefined,
    ];
  return Object.fromEntries([
    op('CreateTopic', (r, i) => sns.createTopic(r, i)),
    op('DeleteTopic', (r, i) => sns.deleteTopic(r, i)),
    op('ListTopics', (r, i) => sns.listTopics(r, i)),
    op('GetTopicAttributes', (r, i) => ({ Attributes: entryMap(sns.getTopicAttributes(r, i)) })),
    op('SetTopicAttributes', (r, i) => sns.setTopicAttributes(r, i)),
    op('Subscribe', (r, i) => sns.subscribe(r, i)),
    op('Unsubscribe', (r, i) => sns.unsubscribe(r, i)),
    op('ListSubscriptions', (r) => sns.listSubscriptions(r)),
    op('ListSubscriptionsByTopic', (r, i) => sns.listSubscriptionsByTopic(r, i)),
    op('GetSubscriptionAttributes', (r, i) => ({ Attributes: entryMap(sns.getSubscriptionAttributes(r, i)) })),
    op('SetSubscriptionAttributes', (r, i) => sns.setSubscriptionAttributes(r, i)),
    op('Publish', (r, i) => sns.publish(r, i)),
    op('PublishBatch', (r, i) => sns.publishBatch(r, i)),
    op('TagResource', (r, i) => sns.tagResource(r, i)),
    op('UntagResource', (r, i) => sns.untagResource(r, i)),
    op('ListTagsForResource', (r, i) => sns.listTagsForResource(r, i)),
  ]);
}

import type { QueryOp } from '../protocols/query.js';
import { entryMap } from '../protocols/xml.js';
import type { SnsDomain } from './domain.js';

// SNS's awsQuery operations → domain calls; attribute maps go out as entry lists.
export function snsOps(sns: SnsDomain): Record<string, QueryOp> {
  const op =
    (fn: (region: string, input: any) => unknown): QueryOp =>
    async (input, req) =>
      (fn(req.region, input) as Record<string, unknown> | void) ?? undefined;
  return {
    CreateTopic: op((r, i) => sns.createTopic(r, i)),
    DeleteTopic: op((r, i) => sns.deleteTopic(r, i)),
    ListTopics: op((r, i) => sns.listTopics(r, i)),
    GetTopicAttributes: op((r, i) => ({ Attributes: entryMap(sns.getTopicAttributes(r, i)) })),
    SetTopicAttributes: op((r, i) => sns.setTopicAttributes(r, i)),
    Subscribe: op((r, i) => sns.subscribe(r, i)),
    Unsubscribe: op((r, i) => sns.unsubscribe(r, i)),
    ListSubscriptions: op((r) => sns.listSubscriptions(r)),
    ListSubscriptionsByTopic: op((r, i) => sns.listSubscriptionsByTopic(r, i)),
    GetSubscriptionAttributes: op((r, i) => ({ Attributes: entryMap(sns.getSubscriptionAttributes(r, i)) })),
    SetSubscriptionAttributes: op((r, i) => sns.setSubscriptionAttributes(r, i)),
    Publish: op((r, i) => sns.publish(r, i)),
    PublishBatch: op((r, i) => sns.publishBatch(r, i)),
    TagResource: op((r, i) => sns.tagResource(r, i)),
    UntagResource: op((r, i) => sns.untagResource(r, i)),
    ListTagsForResource: op((r, i) => sns.listTagsForResource(r, i)),
  };
}

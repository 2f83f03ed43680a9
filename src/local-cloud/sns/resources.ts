import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import { cfnBoolean, cfnIgnoredList, cfnJson, cfnString, cfnStrings, cfnTags } from '../cloudformation/property-types.js';
import type { ResourceProvider } from '../types.js';
import { generatedName } from '../lambda/resources.js';
import type { SnsDomain } from './domain.js';

// AWS::SNS::Topic, AWS::SNS::Subscription, AWS::SNS::TopicPolicy, each with the type's full property set:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topic.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-subscription.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topicpolicy.html
const topicProperties = z.strictObject({
  ArchivePolicy: cfnJson().optional(),
  ContentBasedDeduplication: cfnBoolean().optional(),
  DataProtectionPolicy: cfnJson().optional(),
  DeliveryStatusLogging: cfnIgnoredList().optional(),
  DisplayName: cfnString().optional(),
  FifoThroughputScope: cfnString().optional(),
  FifoTopic: cfnBoolean().optional(),
  KmsMasterKeyId: cfnString().optional(),
  SignatureVersion: cfnString().optional(),
  Subscription: z.array(z.strictObject({ Endpoint: cfnString(), Protocol: cfnString() })).optional(),
  Tags: cfnTags().optional(),
  TopicName: cfnString().optional(),
  TracingConfig: cfnString().optional(),
});
const subscriptionProperties = z.strictObject({
  DeliveryPolicy: cfnJson().optional(),
  Endpoint: cfnString().optional(),
  FilterPolicy: cfnJson().optional(),
  FilterPolicyScope: cfnString().optional(),
  Protocol: cfnString(),
  RawMessageDelivery: cfnBoolean().optional(),
  RedrivePolicy: cfnJson().optional(),
  Region: cfnString().optional(),
  ReplayPolicy: cfnJson().optional(),
  SubscriptionRoleArn: cfnString().optional(),
  TopicArn: cfnString(),
});
const topicPolicyProperties = z.strictObject({ PolicyDocument: cfnJson(), Topics: cfnStrings() });

const ignoreMissing = (err: unknown): void => {
  if (!(err instanceof AwsError && err.code === 'NotFound')) throw err;
};

const policyText = (p: unknown): string | undefined => (p === undefined ? undefined : typeof p === 'string' ? p : JSON.stringify(p));

export function snsResources(sns: SnsDomain): ResourceProvider[] {
  const topic = defineResource({
    type: 'AWS::SNS::Topic',
    properties: topicProperties,
    replaceOn: ['TopicName', 'FifoTopic'],
    async create(ctx, props) {
      const name = props.TopicName ?? generatedName(ctx, 256);
      const { TopicArn } = sns.createTopic(ctx.region, {
        Name: name,
        Attributes: { ...(props.DisplayName !== undefined ? { DisplayName: String(props.DisplayName) } : {}), ...(props.FifoTopic ? { FifoTopic: 'true' } : {}) },
        Tags: props.Tags ?? [],
      });
      for (const s of props.Subscription ?? []) sns.subscribe(ctx.region, { TopicArn, Protocol: s.Protocol, Endpoint: s.Endpoint });
      return { physicalId: TopicArn, attributes: { TopicArn, TopicName: name } };
    },
    async update(ctx, physicalId, props) {
      sns.setTopicAttributes(ctx.region, { TopicArn: physicalId, AttributeName: 'DisplayName', AttributeValue: String(props.DisplayName ?? '') });
      const existing = sns.listSubscriptionsByTopic(ctx.region, { TopicArn: physicalId }).Subscriptions;
      for (const s of props.Subscription ?? [])
        if (!existing.some((e) => e.Endpoint === s.Endpoint)) sns.subscribe(ctx.region, { TopicArn: physicalId, Protocol: s.Protocol, Endpoint: s.Endpoint });
      return { physicalId, attributes: { TopicArn: physicalId, TopicName: physicalId.split(':')[5] } };
    },
    async delete(ctx, physicalId) {
      sns.deleteTopic(ctx.region, { TopicArn: physicalId });
    },
  });
  const subscription = defineResource({
    type: 'AWS::SNS::Subscription',
    properties: subscriptionProperties,
    replaceOn: ['TopicArn', 'Protocol', 'Endpoint'],
    async create(ctx, props) {
      const filter = policyText(props.FilterPolicy);
      const { SubscriptionArn } = sns.subscribe(ctx.region, {
        TopicArn: props.TopicArn,
        Protocol: props.Protocol,
        Endpoint: props.Endpoint,
        Attributes: { ...(filter !== undefined ? { FilterPolicy: filter } : {}), ...(props.FilterPolicyScope ? { FilterPolicyScope: props.FilterPolicyScope } : {}) },
      });
      return { physicalId: SubscriptionArn, attributes: { Arn: SubscriptionArn } };
    },
    async update(ctx, physicalId, props) {
      if (props.FilterPolicyScope) sns.setSubscriptionAttributes(ctx.region, { SubscriptionArn: physicalId, AttributeName: 'FilterPolicyScope', AttributeValue: props.FilterPolicyScope });
      sns.setSubscriptionAttributes(ctx.region, { SubscriptionArn: physicalId, AttributeName: 'FilterPolicy', AttributeValue: policyText(props.FilterPolicy) ?? '' });
      return { physicalId, attributes: { Arn: physicalId } };
    },
    async delete(ctx, physicalId) {
      try {
        sns.unsubscribe(ctx.region, { SubscriptionArn: physicalId });
      } catch (err) {
        ignoreMissing(err);
      }
    },
  });
  const topicPolicy = defineResource({
    type: 'AWS::SNS::TopicPolicy',
    properties: topicPolicyProperties,
    async create(ctx, props) {
      const topics = props.Topics;
      if (topics.length === 0) throw new AwsError('ValidationException', 'Property Topics cannot be empty.');
      for (const arn of topics) sns.setTopicAttributes(ctx.region, { TopicArn: arn, AttributeName: 'Policy', AttributeValue: policyText(props.PolicyDocument) ?? '' });
      return { physicalId: generatedName(ctx, 128), attributes: { Id: topics.join(',') } };
    },
    async update(ctx, physicalId, props, oldProps) {
      for (const arn of oldProps.Topics ?? [])
        if (!props.Topics.includes(arn)) {
          try {
            sns.setTopicAttributes(ctx.region, { TopicArn: arn, AttributeName: 'Policy', AttributeValue: sns.defaultPolicy(arn) });
          } catch (err) {
            ignoreMissing(err);
          }
        }
      for (const arn of props.Topics) sns.setTopicAttributes(ctx.region, { TopicArn: arn, AttributeName: 'Policy', AttributeValue: policyText(props.PolicyDocument) ?? '' });
      return { physicalId, attributes: { Id: props.Topics.join(',') } };
    },
    async delete(ctx, _physicalId, props) {
      // Deleting the policy resource puts back the default policy.
      for (const arn of props.Topics) {
        try {
          sns.setTopicAttributes(ctx.region, { TopicArn: arn, AttributeName: 'Policy', AttributeValue: sns.defaultPolicy(arn) });
        } catch (err) {
          ignoreMissing(err);
        }
      }
    },
  });
  return [topic, subscription, topicPolicy];
}

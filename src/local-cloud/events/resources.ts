// CloudFormation provider for AWS::Events::Rule (Ref → rule name, GetAtt Arn), with the type's full
// property set (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-rule.html;
// Target: aws-properties-events-rule-target.html). Target parameters for other target kinds (ECS,
// Kinesis, SQS, HTTP, input transformers, …) are accepted as AWS accepts them; the local cloud
// delivers to Lambda targets with Input or the event itself.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { cfnJson, cfnString, cfnTags, ignored } from '../cloudformation/property-types.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import type { ResourceProvider } from '../types.js';
import type { Events } from './domain.js';
import type { Target } from './model.js';
import { onDefaultBus } from './wire.js';

const target = z.strictObject({
  AppSyncParameters: ignored(),
  Arn: cfnString(),
  BatchParameters: ignored(),
  DeadLetterConfig: ignored(),
  EcsParameters: ignored(),
  HttpParameters: ignored(),
  Id: cfnString(),
  Input: cfnString().optional(),
  InputPath: cfnString().optional(),
  InputTransformer: ignored(),
  KinesisParameters: ignored(),
  RedshiftDataParameters: ignored(),
  RetryPolicy: ignored(),
  RoleArn: cfnString().optional(),
  RunCommandParameters: ignored(),
  SageMakerPipelineParameters: ignored(),
  SqsParameters: ignored(),
});

export const ruleProperties = z.strictObject({
  Description: cfnString().optional(),
  EventBusName: cfnString().optional(),
  EventPattern: cfnJson().optional(),
  Name: cfnString().optional(),
  RoleArn: cfnString().optional(),
  ScheduleExpression: cfnString().optional(),
  State: z.enum(['DISABLED', 'ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']).optional(),
  Tags: cfnTags().optional(),
  Targets: z.array(target).optional(),
});
type RuleProperties = z.output<typeof ruleProperties>;

export function eventsResources(events: Events): ResourceProvider[] {
  const put = (region: string, name: string, props: RuleProperties) => {
    onDefaultBus(props.EventBusName);
    const arn = events.putRule(region, {
      Name: name,
      ScheduleExpression: props.ScheduleExpression,
      EventPattern: props.EventPattern === undefined ? undefined : typeof props.EventPattern === 'string' ? props.EventPattern : JSON.stringify(props.EventPattern),
      // The CloudTrail variant differs only for management events, which the local cloud has none of.
      State: props.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      Description: props.Description,
      RoleArn: props.RoleArn,
    });
    const targets: Target[] = (props.Targets ?? []).map((t) => ({ Id: t.Id, Arn: t.Arn, Input: t.Input, RoleArn: t.RoleArn }));
    const stale = events.listTargets(region, name).filter((t) => !targets.some((n) => n.Id === t.Id)).map((t) => t.Id);
    if (stale.length) events.removeTargets(region, name, stale);
    if (targets.length) events.putTargets(region, name, targets);
    return { physicalId: name, attributes: { Arn: arn } };
  };
  const rule = defineResource({
    type: 'AWS::Events::Rule',
    properties: ruleProperties,
    replaceOn: ['Name', 'EventBusName'],
    async create(ctx, props) {
      const name = props.Name ?? `${ctx.stackName}-${ctx.logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`.slice(-64);
      return put(ctx.region, name, props);
    },
    async update(ctx, name, props) {
      return put(ctx.region, name, props);
    },
    async delete(ctx, name) {
      events.deleteRule(ctx.region, name, true);
    },
  });
  return [rule];
}

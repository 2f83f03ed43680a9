// CloudFormation provider for AWS::CloudWatch::Alarm (Ref → alarm name, GetAtt Arn).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineResource } from '../cloudformation/resource-properties.js';
import { cfnBoolean, cfnIgnoredList, cfnInteger, cfnNumber, cfnString, cfnStrings, cfnTags } from '../cloudformation/property-types.js';
import type { ResourceProvider } from '../types.js';
import type { CloudWatch } from './domain.js';
import { alarmConfig } from './wire.js';

// Every property of the type (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html);
// Metrics (metric math), ThresholdMetricId and EvaluateLowSampleCountPercentile are accepted and
// then refused by PutMetricAlarm's own checks (validate.ts) or ignored, as documented in SPEC.md.
const alarmProperties = z.strictObject({
  ActionsEnabled: cfnBoolean().optional(),
  AlarmActions: cfnStrings().optional(),
  AlarmDescription: cfnString().optional(),
  AlarmName: cfnString().optional(),
  ComparisonOperator: cfnString(),
  DatapointsToAlarm: cfnInteger().optional(),
  Dimensions: z.array(z.strictObject({ Name: cfnString(), Value: cfnString() })).optional(),
  EvaluateLowSampleCountPercentile: cfnString().optional(),
  EvaluationPeriods: cfnInteger(),
  ExtendedStatistic: cfnString().optional(),
  InsufficientDataActions: cfnStrings().optional(),
  MetricName: cfnString().optional(),
  Metrics: cfnIgnoredList().optional(),
  Namespace: cfnString().optional(),
  OKActions: cfnStrings().optional(),
  Period: cfnInteger().optional(),
  Statistic: cfnString().optional(),
  Tags: cfnTags().optional(),
  Threshold: cfnNumber().optional(),
  ThresholdMetricId: cfnString().optional(),
  TreatMissingData: cfnString().optional(),
  Unit: cfnString().optional(),
});

export function cloudWatchResources(cw: CloudWatch): ResourceProvider[] {
  const put = (region: string, name: string, props: z.infer<typeof alarmProperties>) => {
    cw.putMetricAlarm(region, alarmConfig({ ...props, AlarmName: name }));
    return { physicalId: name, attributes: { Arn: cw.alarmArn(region, name) } };
  };
  const alarm = defineResource({
    type: 'AWS::CloudWatch::Alarm',
    properties: alarmProperties,
    replaceOn: ['AlarmName'],
    async create(ctx, props) {
      const name = props.AlarmName ?? `${ctx.stackName}-${ctx.logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`;
      return put(ctx.region, name, props);
    },
    async update(ctx, name, props) {
      return put(ctx.region, name, props);
    },
    async delete(ctx, name) {
      cw.deleteAlarms(ctx.region, [name]);
    },
  });
  return [alarm];
}

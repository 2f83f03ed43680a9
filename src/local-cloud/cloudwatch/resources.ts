// CloudFormation provider for AWS::CloudWatch::Alarm (Ref → alarm name, GetAtt Arn).
import { randomBytes } from 'node:crypto';
import type { ResourceProvider } from '../types.js';
import type { CloudWatch } from './domain.js';
import { alarmConfig } from './wire.js';

export function cloudWatchResources(cw: CloudWatch): ResourceProvider[] {
  const put = (region: string, name: string, props: Record<string, any>) => {
    cw.putMetricAlarm(region, alarmConfig({ ...props, AlarmName: name }));
    return { physicalId: name, attributes: { Arn: cw.alarmArn(region, name) } };
  };
  const alarm: ResourceProvider = {
    type: 'AWS::CloudWatch::Alarm',
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
  };
  return [alarm];
}

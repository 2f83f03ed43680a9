// CloudFormation provider for AWS::Logs::LogGroup.

import { randomBytes } from 'node:crypto';
import type { ResourceProvider } from '../types.js';
import type { Logs } from './domain.js';

export function logsResources(logs: Logs): ResourceProvider[] {
  const retention = (props: { RetentionInDays?: unknown }): number | undefined => (props.RetentionInDays === undefined ? undefined : Number(props.RetentionInDays));
  const logGroup: ResourceProvider = {
    type: 'AWS::Logs::LogGroup',
    replaceOn: ['LogGroupName'],
    async create(ctx, props) {
      const name = props.LogGroupName ?? `${ctx.stackName}-${ctx.logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`;
      const tags = Object.fromEntries((props.Tags ?? []).map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
      logs.createLogGroup(ctx.region, name, { retentionInDays: retention(props), tags });
      return { physicalId: name, attributes: { Arn: logs.arn(ctx.region, name) } };
    },
    async update(ctx, name, props) {
      const days = retention(props);
      if (days === undefined) logs.deleteRetentionPolicy(ctx.region, name);
      else logs.putRetentionPolicy(ctx.region, name, days);
      return { physicalId: name, attributes: { Arn: logs.arn(ctx.region, name) } };
    },
    async delete(ctx, name) {
      if (logs.describeLogGroups(ctx.region, name).some((g) => g.logGroupName === name)) logs.deleteLogGroup(ctx.region, name);
    },
  };
  return [logGroup];
}

// CloudFormation provider for AWS::Events::Rule (Ref → rule name, GetAtt Arn).
import { randomBytes } from 'node:crypto';
import type { ResourceProvider } from '../types.js';
import type { Events } from './domain.js';
import type { Target } from './model.js';

export function eventsResources(events: Events): ResourceProvider[] {
  const put = (region: string, name: string, props: Record<string, any>) => {
    const arn = events.putRule(region, {
      Name: name,
      ScheduleExpression: props.ScheduleExpression,
      EventPattern: props.EventPattern === undefined ? undefined : typeof props.EventPattern === 'string' ? props.EventPattern : JSON.stringify(props.EventPattern),
      State: props.State ?? 'ENABLED',
      Description: props.Description,
      RoleArn: props.RoleArn,
    });
    const targets: Target[] = (props.Targets ?? []).map((t: Record<string, any>) => ({ Id: String(t.Id), Arn: String(t.Arn), Input: t.Input, RoleArn: t.RoleArn }));
    const stale = events.listTargets(region, name).filter((t) => !targets.some((n) => n.Id === t.Id)).map((t) => t.Id);
    if (stale.length) events.removeTargets(region, name, stale);
    if (targets.length) events.putTargets(region, name, targets);
    return { physicalId: name, attributes: { Arn: arn } };
  };
  const rule: ResourceProvider = {
    type: 'AWS::Events::Rule',
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
  };
  return [rule];
}

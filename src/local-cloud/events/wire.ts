// awsJson1_1 adapter for EventBridge (X-Amz-Target: AWSEvents.*), default event bus only.
import { AwsError } from '../aws-error.js';
import type { JsonOp } from '../protocols/json.js';
import type { Events } from './domain.js';
import type { Rule } from './model.js';

function onDefaultBus(bus: unknown): void {
  if (bus !== undefined && bus !== 'default' && !String(bus).endsWith(':event-bus/default')) {
    throw new AwsError('ResourceNotFoundException', `Event bus ${String(bus)} does not exist.`, 400);
  }
}

function ruleView(rule: Rule, account: string): Record<string, unknown> {
  return {
    Name: rule.Name,
    Arn: rule.Arn,
    ScheduleExpression: rule.ScheduleExpression,
    EventPattern: rule.EventPattern,
    State: rule.State,
    Description: rule.Description,
    RoleArn: rule.RoleArn,
    EventBusName: 'default',
    CreatedBy: account,
  };
}

export function eventsOps(events: Events, account: string): Record<string, JsonOp> {
  return {
    PutRule: async (i, req) => {
      onDefaultBus(i.EventBusName);
      return { RuleArn: events.putRule(req.region, i) };
    },
    DescribeRule: async (i, req) => {
      onDefaultBus(i.EventBusName);
      return ruleView(events.describeRule(req.region, i.Name), account);
    },
    ListRules: async (i, req) => {
      onDefaultBus(i.EventBusName);
      const rules = events.listRules(req.region, i.NamePrefix);
      const start = i.NextToken ? Number(i.NextToken) : 0;
      const end = start + (i.Limit ?? 100);
      return { Rules: rules.slice(start, end).map((r) => ruleView(r, account)), NextToken: end < rules.length ? String(end) : undefined };
    },
    DeleteRule: async (i, req) => {
      onDefaultBus(i.EventBusName);
      events.deleteRule(req.region, i.Name, i.Force === true);
      return {};
    },
    EnableRule: async (i, req) => {
      events.setState(req.region, i.Name, 'ENABLED');
      return {};
    },
    DisableRule: async (i, req) => {
      events.setState(req.region, i.Name, 'DISABLED');
      return {};
    },
    PutTargets: async (i, req) => events.putTargets(req.region, i.Rule, i.Targets ?? []),
    RemoveTargets: async (i, req) => events.removeTargets(req.region, i.Rule, i.Ids ?? []),
    ListTargetsByRule: async (i, req) => ({
      Targets: events.listTargets(req.region, i.Rule).map((t) => ({ Id: t.Id, Arn: t.Arn, Input: t.Input, RoleArn: t.RoleArn })),
    }),
  };
}

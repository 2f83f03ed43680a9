// awsJson1_1 adapter for EventBridge (X-Amz-Target: AWSEvents.*), default event bus only.
import { AwsError } from '../aws-error.js';
import type { z } from 'zod';
import type { JsonOp } from '../protocols/json.js';
import { withInput } from '../protocols/validation.js';
import type { CloudRequest } from '../types.js';
import type { Events } from './domain.js';
import type { Rule } from './model.js';
import { eventsInputs as inputs } from './validations.js';

/** An operation bound to its schema (validations.ts): broken input is a ValidationException. */
const op = <S extends z.ZodType>(schema: S, fn: (input: z.output<S>, req: CloudRequest) => unknown): JsonOp =>
  withInput(schema, async (input: z.output<S>, req: CloudRequest) => fn(input, req));

/** The local cloud has the default event bus only; another bus does not exist. */
export function onDefaultBus(bus: unknown): void {
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
    PutRule: op(inputs.PutRule, (i, req) => {
      onDefaultBus(i.EventBusName);
      return { RuleArn: events.putRule(req.region, i) };
    }),
    DescribeRule: op(inputs.DescribeRule, (i, req) => {
      onDefaultBus(i.EventBusName);
      return ruleView(events.describeRule(req.region, i.Name), account);
    }),
    ListRules: op(inputs.ListRules, (i, req) => {
      onDefaultBus(i.EventBusName);
      const rules = events.listRules(req.region, i.NamePrefix);
      const start = i.NextToken ? Number(i.NextToken) : 0;
      const end = start + (i.Limit ?? 100);
      return { Rules: rules.slice(start, end).map((r) => ruleView(r, account)), NextToken: end < rules.length ? String(end) : undefined };
    }),
    DeleteRule: op(inputs.DeleteRule, (i, req) => {
      onDefaultBus(i.EventBusName);
      events.deleteRule(req.region, i.Name, i.Force === true);
      return {};
    }),
    EnableRule: op(inputs.EnableRule, (i, req) => {
      onDefaultBus(i.EventBusName);
      events.setState(req.region, i.Name, 'ENABLED');
      return {};
    }),
    DisableRule: op(inputs.DisableRule, (i, req) => {
      onDefaultBus(i.EventBusName);
      events.setState(req.region, i.Name, 'DISABLED');
      return {};
    }),
    PutTargets: op(inputs.PutTargets, (i, req) => {
      onDefaultBus(i.EventBusName);
      return events.putTargets(req.region, i.Rule, i.Targets.map((t) => ({ Id: t.Id, Arn: t.Arn, Input: t.Input, RoleArn: t.RoleArn })));
    }),
    RemoveTargets: op(inputs.RemoveTargets, (i, req) => {
      onDefaultBus(i.EventBusName);
      return events.removeTargets(req.region, i.Rule, i.Ids);
    }),
    ListTargetsByRule: op(inputs.ListTargetsByRule, (i, req) => {
      onDefaultBus(i.EventBusName);
      return { Targets: events.listTargets(req.region, i.Rule).map((t) => ({ Id: t.Id, Arn: t.Arn, Input: t.Input, RoleArn: t.RoleArn })) };
    }),
  };
}

// EventBridge rules on the default bus: schedules fire on the virtual clock and invoke Lambda targets.
import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import type { EventsState, Rule, Target } from './model.js';
import { nextFire, parseSchedule } from './schedule.js';
import { dict, keyedState } from '../keyed.js';
import { KeyedTimers } from '../clock.js';

interface LambdaInvoker {
  hasPermission(region: string, nameOrArn: string, principal: string, sourceArn?: string): boolean;
  invoke(region: string, nameOrArn: string, payload: string, opts: { invocationType: 'Event'; principal: string; sourceArn: string }): Promise<unknown>;
}

export interface PutRuleInput {
  Name: string;
  ScheduleExpression?: string;
  EventPattern?: string;
  State?: string;
  Description?: string;
  RoleArn?: string;
}

const PRINCIPAL = 'events.amazonaws.com';
const INVOCATION_LIMIT = 50;
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

export class Events {
  private readonly timers: KeyedTimers;

  constructor(private readonly ctx: CloudContext) {
    this.timers = new KeyedTimers(ctx.clock);
  }

  private get state(): EventsState {
    return keyedState<EventsState>(this.ctx.state, 'events', () => ({ regions: dict() }));
  }

  private rules(region: string): Record<string, Rule> {
    return (this.state.regions[region] ??= { rules: dict() }).rules;
  }

  ruleArn(region: string, name: string): string {
    return `arn:aws:events:${region}:${this.ctx.accountId}:rule/${name}`;
  }

  putRule(region: string, input: PutRuleInput): string {
    if (!input.Name || !NAME.test(input.Name)) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${input.Name ?? ''}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`, 400);
    }
    if (!input.ScheduleExpression && !input.EventPattern) {
      throw new AwsError('ValidationException', 'Parameter(s) EventPattern or ScheduleExpression must be specified.', 400);
    }
    if (input.ScheduleExpression) parseSchedule(input.ScheduleExpression);
    if (input.State && input.State !== 'ENABLED' && input.State !== 'DISABLED') {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${input.State}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [DISABLED, ENABLED]`, 400);
    }
    const rules = this.rules(region);
    const existing = rules[input.Name];
    const now = this.ctx.clock.now();
    const scheduleChanged = existing?.ScheduleExpression !== input.ScheduleExpression;
    rules[input.Name] = {
      Name: input.Name,
      Arn: this.ruleArn(region, input.Name),
      ScheduleExpression: input.ScheduleExpression,
      EventPattern: input.EventPattern,
      State: (input.State as Rule['State']) ?? 'ENABLED',
      Description: input.Description,
      RoleArn: input.RoleArn,
      anchor: existing && !scheduleChanged ? existing.anchor : now,
      targets: existing?.targets ?? [],
      invocations: existing?.invocations ?? [],
    };
    this.dirty(region, input.Name);
    this.arm(region, input.Name);
    return rules[input.Name].Arn;
  }

  describeRule(region: string, name: string): Rule {
    const rule = this.state.regions[region]?.rules[name];
    if (!rule) throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`, 400);
    return rule;
  }

  listRules(region: string, prefix?: string): Rule[] {
    return Object.values(this.state.regions[region]?.rules ?? {})
      .filter((r) => !prefix || r.Name.startsWith(prefix))
      .sort((a, b) => (a.Name < b.Name ? -1 : 1));
  }

  /** AWS refuses to delete a rule that still has targets; deleting a missing rule succeeds. */
  deleteRule(region: string, name: string, force = false): void {
    const rule = this.state.regions[region]?.rules[name];
    if (!rule) return;
    if (rule.targets.length > 0 && !force) throw new AwsError('ValidationException', "Rule can't be deleted since it has targets.", 400);
    delete this.state.regions[region].rules[name];
    this.disarm(region, name);
    this.dirty(region, name);
  }

  setState(region: string, name: string, state: Rule['State']): void {
    const rule = this.describeRule(region, name);
    if (rule.State !== state && state === 'ENABLED') rule.anchor = this.ctx.clock.now();
    rule.State = state;
    this.dirty(region, name, 'State');
    this.dirty(region, name, 'anchor');
    this.arm(region, name);
  }

  putTargets(region: string, name: string, targets: Target[]): { FailedEntryCount: number; FailedEntries: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] } {
    const rule = this.describeRule(region, name);
    if (targets.length + rule.targets.filter((t) => !targets.some((n) => n.Id === t.Id)).length > 5) {
      throw new AwsError('LimitExceededException', `The requested resource exceeds the maximum number allowed.`, 400);
    }
    for (const t of targets) {
      if (!t.Id || !t.Arn) throw new AwsError('ValidationException', 'Target Id and Arn are required.', 400);
      const i = rule.targets.findIndex((x) => x.Id === t.Id);
      const target: Target = { Id: t.Id, Arn: t.Arn, Input: t.Input, RoleArn: t.RoleArn };
      if (i >= 0) rule.targets[i] = target;
      else rule.targets.push(target);
    }
    this.dirty(region, name, 'targets');
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  removeTargets(region: string, name: string, ids: string[]): { FailedEntryCount: number; FailedEntries: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] } {
    const rule = this.describeRule(region, name);
    rule.targets = rule.targets.filter((t) => !ids.includes(t.Id));
    this.dirty(region, name, 'targets');
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listTargets(region: string, name: string): Target[] {
    return this.describeRule(region, name).targets;
  }

  /** Recent deliveries of a rule (tests, status). */
  invocations(region: string, name: string): Rule['invocations'] {
    return this.state.regions[region]?.rules[name]?.invocations ?? [];
  }

  start(): void {
    for (const [region, r] of Object.entries(this.state.regions)) for (const name of Object.keys(r.rules)) this.arm(region, name);
  }

  stop(): void {
    this.timers.cancelAll();
  }

  // Timers are not state: re-armed from the rule's anchor at start, so a restart skips missed firings as AWS would.
  private arm(region: string, name: string): void {
    this.disarm(region, name);
    const rule = this.state.regions[region]?.rules[name];
    if (!rule || rule.State !== 'ENABLED' || !rule.ScheduleExpression) return;
    const at = nextFire(parseSchedule(rule.ScheduleExpression), rule.anchor, this.ctx.clock.now());
    if (at === undefined) return;
    this.timers.at(`${region}/${name}`, at, () => {
      this.fire(region, name, at);
      this.arm(region, name);
    });
  }

  private disarm(region: string, name: string): void {
    this.timers.cancel(`${region}/${name}`);
  }

  private fire(region: string, name: string, at: number): void {
    const rule = this.state.regions[region]?.rules[name];
    if (!rule) return;
    const event = JSON.stringify({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.ctx.accountId,
      time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [rule.Arn],
      detail: {},
    });
    for (const target of rule.targets) this.deliver(region, rule, target, target.Input ?? event, at);
  }

  // Lambda targets need a resource policy for events.amazonaws.com with this rule's ARN; without it AWS drops the event.
  private deliver(region: string, rule: Rule, target: Target, payload: string, at: number): void {
    const record = (ok: boolean, error?: string): void => {
      rule.invocations.push({ at, targetId: target.Id, ok, error });
      if (rule.invocations.length > INVOCATION_LIMIT) {
        rule.invocations.splice(0, rule.invocations.length - INVOCATION_LIMIT);
        this.dirty(region, rule.Name, 'invocations'); // shifted: the (short) history whole
      } else this.dirty(region, rule.Name, 'invocations', String(rule.invocations.length - 1));
    };
    if (!/^arn:aws:lambda:/.test(target.Arn)) return record(false, `The local cloud only delivers to Lambda targets, not ${target.Arn}`);
    const lambda: LambdaInvoker | undefined = this.ctx.service('lambda');
    if (!lambda) return record(false, 'Lambda is not available in this local cloud');
    if (!lambda.hasPermission(region, target.Arn, PRINCIPAL, rule.Arn)) {
      return record(false, `No resource-based policy on ${target.Arn} allows ${PRINCIPAL} to invoke it for ${rule.Arn}`);
    }
    record(true);
    const entry = rule.invocations[rule.invocations.length - 1];
    lambda.invoke(region, target.Arn, payload, { invocationType: 'Event', principal: PRINCIPAL, sourceArn: rule.Arn }).catch((error: unknown) => {
      Object.assign(entry, { ok: false, error: (error as Error).message });
      this.dirty(region, rule.Name, 'invocations');
    });
  }

  /** Declare a change to a rule (or a part of it) for the state's write barrier. */
  private dirty(region: string, rule: string, ...path: string[]): void {
    this.ctx.state.changed('events', 'regions', region, 'rules', rule, ...path);
  }
}

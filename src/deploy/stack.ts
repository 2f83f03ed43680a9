import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type CloudFormationClient,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import { waitFor, type Sleeper } from '../wait.js';

/** Deploy outcomes are values: "no changes" is a result, not an error. */
export type StackOutcome =
  | { type: 'created' | 'updated'; stackName: string; outputs: Record<string, string>; seconds: number }
  | { type: 'no-changes'; stackName: string; outputs: Record<string, string>; seconds: number };

export interface StackDeployOptions {
  cfn: CloudFormationClient;
  region: string;
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags?: Record<string, string>;
  io: Io;
  clock: Sleeper;
  /** First and longest poll interval, and the overall deadline, ms. */
  poll: number;
  maxPoll?: number;
  deadline: number;
  signal?: AbortSignal;
}

export class StackDeployError extends RegionctlError {
  constructor(
    readonly stackName: string,
    readonly region: string,
    message: string,
    readonly status?: string,
  ) {
    super('StackDeployFailed', message, 1);
  }
}

const NO_CHANGES = /didn't contain changes|No updates are to be performed/;
const IN_PROGRESS = /_IN_PROGRESS$/;

export async function describeStack(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = out.Stacks?.[0];
    return stack && stack.StackStatus !== 'DELETE_COMPLETE' ? stack : undefined;
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw error;
  }
}

export function isMissingStack(error: unknown): boolean {
  return (error as { name?: string }).name === 'ValidationError' && /does not exist/.test((error as Error).message);
}

export function stackOutputs(stack: Stack | undefined): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const o of stack?.Outputs ?? []) if (o.OutputKey) outputs[o.OutputKey] = o.OutputValue ?? '';
  return outputs;
}

/**
 * Create or update one stack through a change set, streaming its events as progress.
 * A stack left in ROLLBACK_COMPLETE by a failed first create is deleted and created again
 * (it cannot be updated); a stack already mid-operation is waited for first.
 */
export async function deployStack(opts: StackDeployOptions): Promise<StackOutcome> {
  const { cfn, stackName, region, io, clock } = opts;
  const started = clock.now();
  const seconds = () => Math.round((clock.now() - started) / 100) / 10;
  let stack = await describeStack(cfn, stackName);
  if (stack && IN_PROGRESS.test(stack.StackStatus ?? '')) {
    io.emit({ kind: 'info', region, message: `${stackName} is ${stack.StackStatus}; waiting for it to settle` });
    stack = await waitForStack(opts, (s) => !IN_PROGRESS.test(s?.StackStatus ?? ''), stack.StackId!);
  }
  if (stack && (stack.StackStatus === 'ROLLBACK_COMPLETE' || stack.StackStatus === 'ROLLBACK_FAILED' || stack.StackStatus === 'REVIEW_IN_PROGRESS')) {
    io.emit({ kind: 'warn', region, message: `${stackName} is ${stack.StackStatus} from an earlier failed create; deleting it before creating again` });
    await cfn.send(new DeleteStackCommand({ StackName: stack.StackId }));
    await waitForStack(opts, (s) => s === undefined || s.StackStatus === 'DELETE_COMPLETE', stack.StackId!);
    stack = undefined;
  }
  const changeSetType = stack ? 'UPDATE' : 'CREATE';
  const changeSetName = `regionctl-${clock.now()}`;
  const created = await cfn.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: changeSetName,
      ChangeSetType: changeSetType,
      TemplateBody: opts.templateBody,
      Parameters: Object.entries(opts.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: ['CAPABILITY_IAM'],
      Tags: Object.entries(opts.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  const changeSetId = created.Id!;
  const stackId = created.StackId!;
  const changeSet = await waitFor(
    async () => {
      const cs = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackId }));
      return cs.Status === 'CREATE_COMPLETE' || cs.Status === 'FAILED' ? cs : undefined;
    },
    { poll: opts.poll, maxPoll: opts.maxPoll, deadline: opts.deadline, what: `change set for ${stackName} in ${region}`, clock, signal: opts.signal },
  );
  if (changeSet.Status === 'FAILED') {
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackId })).catch(() => undefined);
    if (NO_CHANGES.test(changeSet.StatusReason ?? '')) {
      return { type: 'no-changes', stackName, outputs: stackOutputs(stack), seconds: seconds() };
    }
    throw new StackDeployError(stackName, region, `${stackName}: change set failed: ${changeSet.StatusReason ?? 'unknown reason'}`);
  }
  io.emit({
    kind: 'debug',
    region,
    message: `${stackName}: ${changeSet.Changes?.length ?? 0} change(s): ${(changeSet.Changes ?? [])
      .map((c) => `${c.ResourceChange?.Action} ${c.ResourceChange?.LogicalResourceId}`)
      .join(', ')}`,
  });
  const executedAt = clock.now();
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackId }));
  const final = await waitForStack(opts, (s) => s !== undefined && !IN_PROGRESS.test(s.StackStatus ?? ''), stackId, executedAt);
  const status = final?.StackStatus ?? 'UNKNOWN';
  if (status !== 'CREATE_COMPLETE' && status !== 'UPDATE_COMPLETE') {
    const reason = await firstFailure(cfn, stackId, executedAt);
    throw new StackDeployError(stackName, region, `${stackName} ended ${status}${reason ? `: ${reason}` : ''}`, status);
  }
  return { type: changeSetType === 'CREATE' ? 'created' : 'updated', stackName, outputs: stackOutputs(final), seconds: seconds() };
}

/** Poll a stack until `done`, emitting each new stack event as progress. */
async function waitForStack(
  opts: StackDeployOptions,
  done: (s: Stack | undefined) => boolean,
  stackId: string,
  since = opts.clock.now(),
): Promise<Stack | undefined> {
  const seen = new Set<string>();
  return waitFor(
    async () => {
      for (const event of await newEvents(opts.cfn, stackId, since, seen)) {
        opts.io.emit({
          kind: 'step',
          id: opts.region,
          state: 'update',
          region: opts.region,
          label: `${event.LogicalResourceId} ${event.ResourceStatus}${event.ResourceStatusReason && /FAILED/.test(event.ResourceStatus ?? '') ? ` (${event.ResourceStatusReason})` : ''}`,
        });
      }
      let stack: Stack | undefined;
      try {
        stack = (await opts.cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0];
      } catch (error) {
        if (!isMissingStack(error)) throw error;
      }
      return done(stack) ? { stack } : undefined;
    },
    { poll: opts.poll, maxPoll: opts.maxPoll, deadline: opts.deadline, what: `stack ${opts.stackName} in ${opts.region}`, clock: opts.clock, signal: opts.signal },
  ).then((r) => r.stack);
}

async function newEvents(cfn: CloudFormationClient, stackId: string, since: number, seen: Set<string>): Promise<StackEvent[]> {
  let events: StackEvent[] = [];
  try {
    events = (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents ?? [];
  } catch {
    return [];
  }
  const fresh = events.filter((e) => e.EventId && !seen.has(e.EventId) && (e.Timestamp?.getTime() ?? 0) >= since - 1000);
  for (const e of fresh) seen.add(e.EventId!);
  return fresh.reverse(); // API order is newest first
}

async function firstFailure(cfn: CloudFormationClient, stackId: string, since: number): Promise<string | undefined> {
  const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId })).catch(() => undefined))?.StackEvents ?? [];
  const failed = events
    .filter((e) => /FAILED$/.test(e.ResourceStatus ?? '') && (e.Timestamp?.getTime() ?? 0) >= since - 1000 && e.ResourceStatusReason)
    .reverse()[0];
  return failed ? `${failed.LogicalResourceId}: ${failed.ResourceStatusReason}` : undefined;
}

/** Delete a stack and wait until it is gone. Returns false when there was nothing to delete. */
export async function deleteStack(opts: Omit<StackDeployOptions, 'templateBody' | 'parameters'>): Promise<boolean> {
  const stack = await describeStack(opts.cfn, opts.stackName);
  if (!stack) return false;
  const since = opts.clock.now();
  await opts.cfn.send(new DeleteStackCommand({ StackName: stack.StackId }));
  const final = await waitForStack(
    { ...opts, templateBody: '', parameters: {} },
    (s) => s === undefined || s.StackStatus === 'DELETE_COMPLETE' || s.StackStatus === 'DELETE_FAILED',
    stack.StackId!,
    since,
  );
  if (final?.StackStatus === 'DELETE_FAILED') {
    const reason = await firstFailure(opts.cfn, stack.StackId!, since);
    throw new StackDeployError(opts.stackName, opts.region, `${opts.stackName} could not be deleted${reason ? `: ${reason}` : ''}`, 'DELETE_FAILED');
  }
  return true;
}

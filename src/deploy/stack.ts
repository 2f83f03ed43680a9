import type { CloudFormationClient, Stack, StackEvent } from '@aws-sdk/client-cloudformation';
import { sdk } from '../aws/sdk.js';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { describeStack, isMissingStack, stackOutputs } from '../aws/stacks.js';
import { RegionctlError, type RegionctlErrorOptions } from '../errors.js';
import type { Io } from '../io/types.js';
import { canonicalJson, TEMPLATE_HASH_OUTPUT } from './template-hash.js';
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
  /**
   * CloudWatch Logs in the stack's region: lets deploy remove a leftover log group the stack is about
   * to create. A function is called only when a change set is made (a no-change deploy never loads its SDK).
   */
  logs?: CloudWatchLogsClient | (() => CloudWatchLogsClient);
  /** The stack as already described by the caller (null: known not to exist); skips one DescribeStacks. */
  current?: Stack | null;
}

export class StackDeployError extends RegionctlError {
  constructor(
    readonly stackName: string,
    readonly region: string,
    message: string,
    readonly status?: string,
    options?: RegionctlErrorOptions,
  ) {
    super('StackDeployFailed', message, 1, options);
  }
}

const NO_CHANGES = /didn't contain changes|No updates are to be performed/;
const IN_PROGRESS = /_IN_PROGRESS$/;

/**
 * Create or update one stack through a change set, streaming its events as progress. A stack an
 * earlier (perhaps killed) run left behind is first brought to a state a change set can build on:
 * see recoverStack.
 */
export async function deployStack(opts: StackDeployOptions): Promise<StackOutcome> {
  const { cfn, stackName, region, io, clock } = opts;
  const started = clock.now();
  const seconds = () => Math.round((clock.now() - started) / 100) / 10;
  let stack = opts.current === undefined ? await describeStack(cfn, stackName) : (opts.current ?? undefined);
  stack = await recoverStack(opts, stack);
  if (stack && (await isUnchanged(cfn, stack, opts))) {
    io.emit({ kind: 'debug', region, message: `${stackName}: template, parameters and tags unchanged; no change set needed` });
    return { type: 'no-changes', stackName, outputs: stackOutputs(stack), seconds: seconds() };
  }
  const changeSetType = stack ? 'UPDATE' : 'CREATE';
  if (stack) await deleteStaleChangeSets(opts, stack);
  const changeSetName = `${CHANGE_SET_PREFIX}${clock.now()}`;
  const created = await cfn.send(
    new (sdk('@aws-sdk/client-cloudformation').CreateChangeSetCommand)({
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
      const cs = await cfn.send(new (sdk('@aws-sdk/client-cloudformation').DescribeChangeSetCommand)({ ChangeSetName: changeSetId, StackName: stackId }));
      return cs.Status === 'CREATE_COMPLETE' || cs.Status === 'FAILED' ? cs : undefined;
    },
    { poll: opts.poll, maxPoll: opts.maxPoll, deadline: opts.deadline, what: `change set for ${stackName} in ${region}`, clock, signal: opts.signal },
  );
  if (changeSet.Status === 'FAILED') {
    await cfn.send(new (sdk('@aws-sdk/client-cloudformation').DeleteChangeSetCommand)({ ChangeSetName: changeSetId, StackName: stackId })).catch(() => undefined);
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
  const logs = typeof opts.logs === 'function' ? opts.logs() : opts.logs;
  if (logs) {
    const { removeOrphanLogGroups } = await import('./orphan-log-groups.js');
    await removeOrphanLogGroups({ logs, region, stackName, templateBody: opts.templateBody, parameters: opts.parameters, changes: changeSet.Changes ?? [], io });
  }
  const watch = await StackWatch.start(cfn, stackId);
  await cfn.send(new (sdk('@aws-sdk/client-cloudformation').ExecuteChangeSetCommand)({ ChangeSetName: changeSetId, StackName: stackId }));
  const final = await waitForStack(opts, watch, (status) => status !== undefined && status !== 'REVIEW_IN_PROGRESS' && !IN_PROGRESS.test(status));
  const status = final?.StackStatus ?? 'UNKNOWN';
  if (status !== 'CREATE_COMPLETE' && status !== 'UPDATE_COMPLETE') {
    const reason = watch.firstFailure();
    throw new StackDeployError(stackName, region, `${stackName} ended ${status}${reason ? `: ${reason}` : ''}`, status);
  }
  return { type: changeSetType === 'CREATE' ? 'created' : 'updated', stackName, outputs: stackOutputs(final), seconds: seconds() };
}

const SETTLED_AFTER_DELETE = (status: string | undefined) => status === undefined || status === 'DELETE_COMPLETE' || status === 'DELETE_FAILED';

/**
 * Bring a stack left behind by an earlier run to a state a change set can build on, saying what
 * is done and why (every action is one AWS allows for that state):
 * - *_IN_PROGRESS (another operation running): wait for it to settle, then look again;
 * - REVIEW_IN_PROGRESS (a CREATE change set never executed, e.g. the deploy was killed): delete
 *   the empty stack and its change sets, then create;
 * - CREATE_FAILED, ROLLBACK_COMPLETE, ROLLBACK_FAILED (a failed first create; cannot be updated):
 *   delete, then create;
 * - DELETE_FAILED (a failed destroy): retry the delete, then create;
 * - UPDATE_ROLLBACK_FAILED: ContinueUpdateRollback, then update from UPDATE_ROLLBACK_COMPLETE.
 * Returns the stack to update, or undefined when it is to be created.
 */
async function recoverStack(opts: StackDeployOptions, stack: Stack | undefined): Promise<Stack | undefined> {
  const { cfn, stackName, region, io } = opts;
  for (let round = 0; stack && round < 4; round++) {
    const status = stack.StackStatus ?? '';
    if (status !== 'REVIEW_IN_PROGRESS' && IN_PROGRESS.test(status)) {
      io.emit({ kind: 'info', region, message: `${stackName} is ${status}; waiting for it to settle` });
      const watch = await StackWatch.start(cfn, stack.StackId!);
      stack = await waitForStack(opts, watch, (s) => s === undefined || s === 'REVIEW_IN_PROGRESS' || !IN_PROGRESS.test(s));
      if (stack?.StackStatus === 'DELETE_COMPLETE') stack = undefined;
      continue;
    }
    const why = RECREATE[status];
    if (why) {
      io.emit({ kind: 'warn', region, message: `${stackName} is ${status} (${why}); deleting it before creating it again` });
      await deleteAndWait(opts, stack);
      return undefined;
    }
    if (status === 'UPDATE_ROLLBACK_FAILED') {
      io.emit({ kind: 'warn', region, message: `${stackName} is UPDATE_ROLLBACK_FAILED (an earlier update could not be rolled back); continuing the rollback (ContinueUpdateRollback) before updating` });
      const watch = await StackWatch.start(cfn, stack.StackId!);
      await cfn.send(new (sdk('@aws-sdk/client-cloudformation').ContinueUpdateRollbackCommand)({ StackName: stack.StackId }));
      const final = await waitForStack(opts, watch, (s) => s === 'UPDATE_ROLLBACK_COMPLETE' || s === 'UPDATE_ROLLBACK_FAILED');
      if (final?.StackStatus === 'UPDATE_ROLLBACK_FAILED') {
        const reason = watch.firstFailure();
        throw new StackDeployError(stackName, region, `${stackName} could not finish rolling back its last update${reason ? `: ${reason}` : ''}`, 'UPDATE_ROLLBACK_FAILED', {
          hint: `fix the cause and deploy again, or skip the resource: aws cloudformation continue-update-rollback --region ${region} --stack-name ${stackName} --resources-to-skip <LogicalId>`,
        });
      }
      return final;
    }
    return stack;
  }
  return stack;
}

/** Why a stack in this state must be deleted before it can be deployed again. */
const RECREATE: Record<string, string> = {
  REVIEW_IN_PROGRESS: 'a change set an interrupted deploy created was never executed',
  CREATE_FAILED: 'its first create failed',
  ROLLBACK_COMPLETE: 'its first create failed and was rolled back',
  ROLLBACK_FAILED: 'its first create failed and could not be rolled back',
  DELETE_FAILED: 'an earlier delete failed',
};

async function deleteAndWait(opts: StackDeployOptions, stack: Stack): Promise<void> {
  const watch = await StackWatch.start(opts.cfn, stack.StackId!);
  await opts.cfn.send(new (sdk('@aws-sdk/client-cloudformation').DeleteStackCommand)({ StackName: stack.StackId }));
  const final = await waitForStack(opts, watch, SETTLED_AFTER_DELETE);
  if (final?.StackStatus === 'DELETE_FAILED') {
    const reason = watch.firstFailure() ?? final.StackStatusReason;
    throw new StackDeployError(opts.stackName, opts.region, `${opts.stackName} is ${stack.StackStatus} and could not be deleted to create it again${reason ? `: ${reason}` : ''}`, 'DELETE_FAILED', {
      hint: 'remove what blocks the delete (e.g. empty a bucket the stack owns) and deploy again',
    });
  }
}

/**
 * Change sets of ours that an interrupted deploy created and never executed. They would pile up
 * (and confuse anyone reading the console); the one about to be created supersedes them.
 */
async function deleteStaleChangeSets(opts: StackDeployOptions, stack: Stack): Promise<void> {
  const { Summaries = [] } = await opts.cfn.send(new (sdk('@aws-sdk/client-cloudformation').ListChangeSetsCommand)({ StackName: stack.StackId }));
  for (const cs of Summaries) {
    // AVAILABLE: created, never executed; UNAVAILABLE: failed to create (e.g. "no changes").
    if (!cs.ChangeSetName?.startsWith(CHANGE_SET_PREFIX) || (cs.ExecutionStatus !== 'AVAILABLE' && cs.ExecutionStatus !== 'UNAVAILABLE')) continue;
    opts.io.emit({ kind: 'warn', region: opts.region, message: `${opts.stackName}: deleting change set ${cs.ChangeSetName} that an interrupted deploy left unexecuted` });
    await opts.cfn.send(new (sdk('@aws-sdk/client-cloudformation').DeleteChangeSetCommand)({ ChangeSetName: cs.ChangeSetId, StackName: stack.StackId })).catch((error: { name?: string }) => {
      if (error.name !== 'ChangeSetNotFoundException' && error.name !== 'ChangeSetNotFound') throw error;
    });
  }
}

const CHANGE_SET_PREFIX = 'regionctl-';

/**
 * What CDK calls "skip deploy": a settled stack whose deployed template, parameters and tags equal
 * what we would send needs no change set. On AWS a change set that finds nothing takes seconds
 * per stack; this takes nothing beyond the DescribeStacks already made (the template's hash is
 * one of its outputs), or one GetTemplate for stacks deployed before the hash existed. Anything
 * uncertain (NoEcho values) means "changed".
 */
async function isUnchanged(cfn: CloudFormationClient, stack: Stack, opts: StackDeployOptions): Promise<boolean> {
  const known = unchangedByHash(stack, opts);
  if (known !== undefined) return known;
  // A stack deployed without the hash output: compare the template itself.
  let ours: unknown;
  try {
    ours = JSON.parse(opts.templateBody);
  } catch {
    return false;
  }
  const deployed = await cfn.send(new (sdk('@aws-sdk/client-cloudformation').GetTemplateCommand)({ StackName: stack.StackId, TemplateStage: 'Original' }));
  let theirs: unknown;
  try {
    theirs = JSON.parse(deployed.TemplateBody ?? '');
  } catch {
    return false;
  }
  return canonicalJson(ours) === canonicalJson(theirs) && sameParametersAndTags(stack, opts);
}

/**
 * Whether a deployed stack already is what `opts` would deploy, decided from its DescribeStacks
 * alone (status, template hash output, parameters, tags); undefined when the stack carries no
 * template hash and only its template (GetTemplate) can tell.
 */
export function unchangedByHash(stack: Stack, opts: Pick<StackDeployOptions, 'templateBody' | 'parameters' | 'tags'>): boolean | undefined {
  if (stack.StackStatus !== 'CREATE_COMPLETE' && stack.StackStatus !== 'UPDATE_COMPLETE') return false;
  const wantedHash = templateFacts(opts.templateBody)?.hash;
  const liveHash = stackOutputs(stack)[TEMPLATE_HASH_OUTPUT];
  if (!wantedHash || !liveHash) return undefined;
  return wantedHash === liveHash && sameParametersAndTags(stack, opts);
}

interface TemplateFacts {
  hash?: string;
  declared: Record<string, { Default?: unknown }>;
}

// A template body is parsed once per process for what deciding "unchanged" needs (a deploy asks
// it for every stack twice: before verifying the zips, and in deployStack).
const factsCache = new Map<string, TemplateFacts | undefined>();

function templateFacts(templateBody: string): TemplateFacts | undefined {
  if (factsCache.has(templateBody)) return factsCache.get(templateBody);
  let facts: TemplateFacts | undefined;
  try {
    const parsed = JSON.parse(templateBody) as { Parameters?: TemplateFacts['declared']; Outputs?: Record<string, { Value?: unknown }> };
    const hash = parsed.Outputs?.[TEMPLATE_HASH_OUTPUT]?.Value;
    facts = { ...(typeof hash === 'string' ? { hash } : {}), declared: parsed.Parameters ?? {} };
  } catch {
    facts = undefined;
  }
  if (factsCache.size >= 256) factsCache.clear();
  factsCache.set(templateBody, facts);
  return facts;
}

function sameParametersAndTags(stack: Stack, opts: Pick<StackDeployOptions, 'templateBody' | 'parameters' | 'tags'>): boolean {
  const facts = templateFacts(opts.templateBody);
  if (!facts) return false;
  const declared = facts.declared;
  const live = new Map((stack.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
  if (live.size !== Object.keys(declared).length) return false;
  for (const [key, decl] of Object.entries(declared)) {
    const wanted = opts.parameters[key] ?? (decl.Default === undefined ? undefined : String(decl.Default));
    if (wanted === undefined || live.get(key) !== wanted) return false;
  }
  const liveTags = Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key, t.Value]));
  return canonicalJson(liveTags) === canonicalJson(opts.tags ?? {});
}

/**
 * Watches a stack's events from the moment it is created: events already there are "seen", so
 * progress and failure reasons come from this operation only. Identity, not timestamps, decides
 * what is new, so a skewed client clock (or the local cloud's virtual one) cannot hide events.
 */
class StackWatch {
  private readonly seen = new Set<string>();
  readonly fresh: StackEvent[] = [];

  private constructor(
    private readonly cfn: CloudFormationClient,
    readonly stackId: string,
  ) {}

  static async start(cfn: CloudFormationClient, stackId: string): Promise<StackWatch> {
    const watch = new StackWatch(cfn, stackId);
    for (const e of await watch.page()) if (e.EventId) watch.seen.add(e.EventId);
    return watch;
  }

  private async page(): Promise<StackEvent[]> {
    try {
      return (await this.cfn.send(new (sdk('@aws-sdk/client-cloudformation').DescribeStackEventsCommand)({ StackName: this.stackId }))).StackEvents ?? [];
    } catch (error) {
      if (isMissingStack(error)) return [];
      throw error;
    }
  }

  /** New events since the last poll, oldest first (the API lists newest first). */
  async poll(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    for (const e of await this.page()) {
      if (!e.EventId || this.seen.has(e.EventId)) break;
      fresh.push(e);
    }
    for (const e of fresh) this.seen.add(e.EventId!);
    fresh.reverse();
    this.fresh.push(...fresh);
    return fresh;
  }

  /** The stack's own latest status among this operation's events. */
  stackStatus(): string | undefined {
    for (let i = this.fresh.length - 1; i >= 0; i--) {
      const e = this.fresh[i];
      if (e.ResourceType === 'AWS::CloudFormation::Stack' && e.PhysicalResourceId === this.stackId) return e.ResourceStatus;
    }
    return undefined;
  }

  /** The first resource failure of this operation: the root cause, not the rollback noise after it. */
  firstFailure(): string | undefined {
    const failed = this.fresh.find((e) => /FAILED$/.test(e.ResourceStatus ?? '') && e.ResourceStatusReason && e.ResourceType !== 'AWS::CloudFormation::Stack');
    const any = failed ?? this.fresh.find((e) => /FAILED$/.test(e.ResourceStatus ?? '') && e.ResourceStatusReason);
    return any ? `${any.LogicalResourceId}: ${any.ResourceStatusReason}` : undefined;
  }
}

/**
 * Wait until the stack's status satisfies `done`, emitting each new event as progress. Polls the
 * event stream only (one call per poll) and confirms with DescribeStacks; every fifth poll also
 * asks DescribeStacks directly, in case the deciding event was missed.
 */
async function waitForStack(opts: StackDeployOptions, watch: StackWatch, done: (status: string | undefined) => boolean): Promise<Stack | undefined> {
  const describe = async (): Promise<Stack | undefined> => {
    try {
      return (await opts.cfn.send(new (sdk('@aws-sdk/client-cloudformation').DescribeStacksCommand)({ StackName: watch.stackId }))).Stacks?.[0];
    } catch (error) {
      if (isMissingStack(error)) return undefined;
      throw error;
    }
  };
  let polls = 0;
  const result = await waitFor(
    async () => {
      for (const event of await watch.poll()) {
        const failed = /FAILED/.test(event.ResourceStatus ?? '') && event.ResourceStatusReason;
        opts.io.emit({
          kind: 'step',
          id: opts.region,
          state: 'update',
          region: opts.region,
          label: `${event.LogicalResourceId} ${event.ResourceStatus}${failed ? ` (${event.ResourceStatusReason})` : ''}`,
        });
      }
      polls++;
      const status = watch.stackStatus();
      if ((status && done(status)) || polls % 5 === 0) {
        const stack = await describe();
        if (done(stack?.StackStatus)) return { stack };
      }
      return undefined;
    },
    { poll: opts.poll, maxPoll: opts.maxPoll, deadline: opts.deadline, what: `stack ${opts.stackName} in ${opts.region}`, clock: opts.clock, signal: opts.signal },
  );
  return result.stack;
}

/** Delete a stack and wait until it is gone. Returns false when there was nothing to delete. */
export async function deleteStack(opts: Omit<StackDeployOptions, 'templateBody' | 'parameters'>): Promise<boolean> {
  const stack = await describeStack(opts.cfn, opts.stackName);
  if (!stack) return false;
  const watch = await StackWatch.start(opts.cfn, stack.StackId!);
  await opts.cfn.send(new (sdk('@aws-sdk/client-cloudformation').DeleteStackCommand)({ StackName: stack.StackId }));
  const final = await waitForStack(
    { ...opts, templateBody: '', parameters: {} },
    watch,
    (status) => status === undefined || status === 'DELETE_COMPLETE' || status === 'DELETE_FAILED',
  );
  if (final?.StackStatus === 'DELETE_FAILED') {
    const reason = watch.firstFailure();
    throw new StackDeployError(opts.stackName, opts.region, `${opts.stackName} could not be deleted${reason ? `: ${reason}` : ''}`, 'DELETE_FAILED');
  }
  return true;
}

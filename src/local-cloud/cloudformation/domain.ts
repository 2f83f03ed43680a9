// The CloudFormation domain: stacks and change sets per region, API semantics and errors.
// Operations validate synchronously, then run in the background (see runner.ts).

import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { CloudContext, ResourceProvider } from '../types.js';
import type { ChangeSetRecord, CloudFormationState, RegionState, StackRecord, Template } from './model.js';
import { IN_PROGRESS } from './model.js';
import { loadTemplate, validationError } from './template.js';
import { displayParameters } from './parameters.js';
import { continueRollback, REVISION_FIELDS, runCreate, runDelete, runUpdate, setStackStatus, type RunContext, type StackRevision } from './runner.js';
import { NO_CHANGES_REASON, changeSetSummary, isNoChange, resourceChanges } from './change-sets.js';
import { stackRevision, templateErrors, templateText, type ChangeSetInput, type StackInput, type TemplateInput } from './revision.js';
import { builtInProviders } from './built-in-resources.js';
import { stackEventsView, stackResourceDetail, stackResourceSummary, stackResourceView, stackSummary, stackView, templateSummaryView, validateTemplateView } from './views.js';
import { validateStackStatusFilter } from './stack-status.js';
import { dict, keyedState } from '../keyed.js';
import { checkName, checkUpdatable, exportsInUse, exportsOf, findActive, findById, mustFind, mustFindChangeSet, newStack } from './stack-lookup.js';

export type { ChangeSetInput, StackInput, TemplateInput } from './revision.js';

export class CloudFormation {
  private readonly state: CloudFormationState;
  /** Per stack id: the background operation currently running, so deletes queue behind it. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly ctx: CloudContext) {
    this.state = keyedState<CloudFormationState>(ctx.state, 'cloudformation', () => ({ regions: dict() }));
  }

  /** Resolves once every background stack operation has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  // A restart loses in-flight operations; leave those stacks in a failed, deletable state.
  recoverInterrupted(): void {
    for (const [region, rs] of Object.entries(this.state.regions)) {
      for (const stack of rs.stacks) {
        if (!IN_PROGRESS.test(stack.status) || stack.status === 'REVIEW_IN_PROGRESS') continue;
        const failed = stack.status.startsWith('DELETE') ? 'DELETE_FAILED' : stack.status.startsWith('UPDATE') ? 'UPDATE_ROLLBACK_FAILED' : stack.status.startsWith('ROLLBACK') ? 'ROLLBACK_FAILED' : 'CREATE_FAILED';
        setStackStatus(this.runContext(region), stack, failed, 'The local cloud restarted while this operation was running.');
      }
    }
  }

  // ---- stacks ----------------------------------------------------------------------------

  createStack(region: string, input: StackInput): { StackId: string } {
    checkName(input.StackName);
    if (findActive(this.regionState(region), input.StackName)) throw new AwsError('AlreadyExistsException', `Stack [${input.StackName}] already exists`, 400);
    const stack = newStack(region, this.ctx.accountId, this.ctx.clock.now(), input.StackName);
    const revision = this.revision(region, stack, input);
    Object.assign(stack, { template: revision.template, templateBody: revision.templateBody, parameters: revision.parameters, capabilities: revision.capabilities, tags: revision.tags, description: revision.description, imports: revision.imports });
    stack.disableRollback = input.DisableRollback === true || input.OnFailure === 'DO_NOTHING';
    this.regionState(region).stacks.push(stack);
    this.stackChanged(region, stack);
    const deleteOnFailure = input.OnFailure === 'DELETE';
    this.launch(region, stack, async (rc) => {
      await runCreate(rc, stack);
      if (deleteOnFailure && stack.status === 'ROLLBACK_COMPLETE') await runDelete(rc, stack);
    });
    return { StackId: stack.stackId };
  }

  updateStack(region: string, input: StackInput): { StackId: string } {
    const stack = findActive(this.regionState(region), input.StackName);
    if (!stack) throw validationError(`Stack [${input.StackName}] does not exist`);
    checkUpdatable(stack);
    const revision = this.revision(region, stack, input);
    const rc = this.runContext(region);
    const changes = templateErrors(() => resourceChanges(rc, stack, revision));
    if (isNoChange(rc, stack, revision, changes)) throw validationError('No updates are to be performed.');
    stack.changeSets = [];
    this.stackChanged(region, stack, 'changeSets');
    this.launch(region, stack, (run) => runUpdate(run, stack, revision));
    return { StackId: stack.stackId };
  }

  deleteStack(region: string, input: { StackName: string }): void {
    const stack = findActive(this.regionState(region), input.StackName) ?? findById(this.regionState(region), input.StackName);
    if (!stack || stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS') return;
    const rc = this.runContext(region);
    if (stack.status === 'REVIEW_IN_PROGRESS') {
      stack.deletedAt = this.ctx.clock.now();
      stack.changeSets = [];
      this.stackChanged(region, stack, 'changeSets');
      setStackStatus(rc, stack, 'DELETE_COMPLETE');
      return;
    }
    const previous = this.running.get(stack.stackId) ?? Promise.resolve();
    this.launch(region, stack, async (run) => {
      await previous.catch(() => undefined);
      const inUse = exportsInUse(this.regionState(region), stack);
      if (inUse) {
        setStackStatus(run, stack, 'DELETE_IN_PROGRESS', 'User Initiated');
        setStackStatus(run, stack, 'DELETE_FAILED', inUse);
        return;
      }
      stack.changeSets = [];
      this.stackChanged(region, stack, 'changeSets');
      await runDelete(run, stack);
    });
  }

  /**
   * Retry the rollback of a stack left UPDATE_ROLLBACK_FAILED, skipping the named resources
   * (only those whose restore failed). A stack in any other state is refused.
   */
  continueUpdateRollback(region: string, input: { StackName: string; ResourcesToSkip?: string[] }): void {
    const stack = mustFind(this.regionState(region), input.StackName);
    if (stack.status !== 'UPDATE_ROLLBACK_FAILED') throw validationError('ContinueUpdateRollback cannot be called from current stack status');
    const skip = input.ResourcesToSkip ?? [];
    for (const id of skip) {
      if (stack.resources[id]?.status !== 'UPDATE_FAILED') throw validationError(`Resource [${id}] is not in a failed state and cannot be skipped`);
    }
    // A stack marked failed by a local cloud restart has no recorded rollback work: accept it as it is.
    const pending = stack.pendingRollback ?? { before: { template: stack.template, templateBody: stack.templateBody, parameters: stack.parameters, capabilities: stack.capabilities, tags: stack.tags, description: stack.description, imports: stack.imports, outputs: stack.outputs }, nextTemplate: stack.template, restores: [], replacements: [] };
    setStackStatus(this.runContext(region), stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'User Initiated');
    this.launch(region, stack, (rc) => continueRollback(rc, stack, pending, skip));
  }

  describeStacks(region: string, input: { StackName?: string }): { Stacks: Array<Record<string, unknown>> } {
    const stacks = input.StackName
      ? [mustFind(this.regionState(region), input.StackName)]
      : this.regionState(region).stacks.filter((s) => s.status !== 'DELETE_COMPLETE');
    return { Stacks: stacks.map(stackView) };
  }

  listStacks(region: string, input: { StackStatusFilter?: string[] }): { StackSummaries: Array<Record<string, unknown>> } {
    const filter = input.StackStatusFilter ?? [];
    validateStackStatusFilter(filter);
    const stacks = this.regionState(region).stacks.filter((s) => filter.length === 0 || filter.includes(s.status));
    return {
      StackSummaries: [...stacks].reverse().map(stackSummary),
    };
  }

  describeStackEvents(region: string, input: { StackName: string }): { StackEvents: Array<Record<string, unknown>> } {
    const stack = mustFind(this.regionState(region), input.StackName);
    return { StackEvents: stackEventsView(stack) };
  }

  describeStackResources(region: string, input: { StackName?: string; LogicalResourceId?: string; PhysicalResourceId?: string }): { StackResources: Array<Record<string, unknown>> } {
    let stack: StackRecord | undefined;
    if (input.StackName) stack = mustFind(this.regionState(region), input.StackName);
    else if (input.PhysicalResourceId) {
      stack = this.regionState(region).stacks.find((s) => s.status !== 'DELETE_COMPLETE' && Object.values(s.resources).some((r) => r.physicalId === input.PhysicalResourceId));
      if (!stack) throw validationError(`Stack for ${input.PhysicalResourceId} does not exist`);
    } else throw validationError('Either StackName or PhysicalResourceId must be specified.');
    const found = stack;
    const resources = Object.values(found.resources).filter((r) =>
      (!input.LogicalResourceId || r.logicalId === input.LogicalResourceId) &&
      (!input.PhysicalResourceId || r.physicalId === input.PhysicalResourceId));
    return { StackResources: resources.map((r) => stackResourceView(found, r)) };
  }

  describeStackResource(region: string, input: { StackName: string; LogicalResourceId: string }): { StackResourceDetail: Record<string, unknown> } {
    const stack = mustFind(this.regionState(region), input.StackName);
    const r = stack.resources[input.LogicalResourceId];
    if (!r) throw validationError(`Resource ${input.LogicalResourceId} does not exist for stack ${input.StackName}`);
    return { StackResourceDetail: stackResourceDetail(stack, r) };
  }

  listStackResources(region: string, input: { StackName: string }): { StackResourceSummaries: Array<Record<string, unknown>> } {
    const stack = mustFind(this.regionState(region), input.StackName);
    return { StackResourceSummaries: Object.values(stack.resources).map(stackResourceSummary) };
  }

  getTemplate(region: string, input: { StackName?: string; ChangeSetName?: string }): { TemplateBody: string; StagesAvailable: string[] } {
    if (input.ChangeSetName) {
      const { changeSet } = mustFindChangeSet(this.regionState(region), input.ChangeSetName, input.StackName);
      return { TemplateBody: changeSet.templateBody, StagesAvailable: ['Original', 'Processed'] };
    }
    if (!input.StackName) throw validationError('Either StackName or ChangeSetName must be specified.');
    return { TemplateBody: mustFind(this.regionState(region), input.StackName).templateBody, StagesAvailable: ['Original', 'Processed'] };
  }

  validateTemplate(region: string, input: TemplateInput): Record<string, unknown> {
    return validateTemplateView(this.templateOf(region, input));
  }

  getTemplateSummary(region: string, input: TemplateInput & { StackName?: string }): Record<string, unknown> {
    const template = input.StackName && !input.TemplateBody && !input.TemplateURL
      ? mustFind(this.regionState(region), input.StackName).template
      : this.templateOf(region, input);
    return templateSummaryView(template);
  }

  /** Current outputs of a live stack, by key (convenience for other local services and tests). */
  outputs(region: string, stackName: string): Record<string, string> {
    const stack = mustFind(this.regionState(region), stackName);
    return Object.fromEntries(stack.outputs.map((o) => [o.OutputKey, o.OutputValue]));
  }

  // ---- change sets -----------------------------------------------------------------------

  createChangeSet(region: string, input: ChangeSetInput): { Id: string; StackId: string } {
    checkName(input.StackName);
    if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(input.ChangeSetName)) {
      throw validationError(`1 validation error detected: Value '${input.ChangeSetName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    }
    const type = input.ChangeSetType ?? 'UPDATE';
    let stack = findActive(this.regionState(region), input.StackName);
    if (type === 'CREATE') {
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') {
        throw validationError(`Stack [${input.StackName}] already exists and cannot be created again with the changeSet [${input.ChangeSetName}].`);
      }
    } else {
      if (!stack || stack.status === 'REVIEW_IN_PROGRESS') throw validationError(`Stack [${input.StackName}] does not exist`);
      checkUpdatable(stack);
    }
    if (stack?.changeSets.some((c) => c.changeSetName === input.ChangeSetName)) {
      throw new AwsError('AlreadyExistsException', `ChangeSet [${input.ChangeSetName}] already exists`, 400);
    }
    const candidate = stack ?? newStack(region, this.ctx.accountId, this.ctx.clock.now(), input.StackName);
    const revision = this.revision(region, candidate, input);
    const rc = this.runContext(region);
    const changes = templateErrors(() => resourceChanges(rc, candidate, revision));
    if (!stack) {
      stack = candidate;
      Object.assign(stack, { status: 'REVIEW_IN_PROGRESS', statusReason: 'User Initiated' });
      this.regionState(region).stacks.push(stack);
      this.stackChanged(region, stack);
      setStackStatus(rc, stack, 'REVIEW_IN_PROGRESS', 'User Initiated');
    }
    const noChange = type === 'UPDATE' && isNoChange(rc, stack, revision, changes);
    const changeSet: ChangeSetRecord = {
      changeSetId: `arn:aws:cloudformation:${region}:${this.ctx.accountId}:changeSet/${input.ChangeSetName}/${randomUUID()}`,
      changeSetName: input.ChangeSetName,
      type,
      status: noChange ? 'FAILED' : 'CREATE_COMPLETE',
      statusReason: noChange ? NO_CHANGES_REASON : undefined,
      executionStatus: noChange ? 'UNAVAILABLE' : 'AVAILABLE',
      createdAt: this.ctx.clock.now(),
      description: input.Description,
      templateBody: revision.templateBody,
      template: revision.template,
      parameters: revision.parameters,
      capabilities: revision.capabilities,
      tags: revision.tags,
      imports: revision.imports,
      changes,
    };
    stack.changeSets.push(changeSet);
    this.stackChanged(region, stack, 'changeSets');
    return { Id: changeSet.changeSetId, StackId: stack.stackId };
  }

  describeChangeSet(region: string, input: { ChangeSetName: string; StackName?: string }): Record<string, unknown> {
    const { stack, changeSet: cs } = mustFindChangeSet(this.regionState(region), input.ChangeSetName, input.StackName);
    return {
      ...changeSetSummary(cs, stack),
      Parameters: displayParameters(cs.template, cs.parameters),
      Capabilities: cs.capabilities,
      Tags: cs.tags,
      Changes: cs.changes.map((c) => ({ Type: 'Resource', ResourceChange: c })),
    };
  }

  executeChangeSet(region: string, input: { ChangeSetName: string; StackName?: string; DisableRollback?: boolean }): void {
    const { stack, changeSet: cs } = mustFindChangeSet(this.regionState(region), input.ChangeSetName, input.StackName);
    if (cs.status !== 'CREATE_COMPLETE' || cs.executionStatus !== 'AVAILABLE') {
      throw new AwsError('InvalidChangeSetStatus', `ChangeSet [${cs.changeSetId}] cannot be executed in its current status of [${cs.status === 'CREATE_COMPLETE' ? cs.executionStatus : cs.status}]`, 400);
    }
    if (cs.type === 'UPDATE') checkUpdatable(stack);
    const revision: StackRevision = { template: cs.template, templateBody: cs.templateBody, parameters: cs.parameters, capabilities: cs.capabilities, tags: cs.tags, description: cs.template.Description, imports: cs.imports ?? [] };
    cs.executionStatus = 'EXECUTE_IN_PROGRESS';
    stack.changeSets = [cs];
    stack.disableRollback = input.DisableRollback === true;
    this.stackChanged(region, stack, 'changeSets');
    this.stackChanged(region, stack, 'disableRollback');
    this.launch(region, stack, async (rc) => {
      if (cs.type === 'CREATE') {
        Object.assign(stack, { template: revision.template, templateBody: revision.templateBody, parameters: revision.parameters, capabilities: revision.capabilities, tags: revision.tags, description: revision.description, imports: revision.imports });
        for (const field of REVISION_FIELDS) rc.changed(stack, field);
        stack.createdAt = this.ctx.clock.now();
        await runCreate(rc, stack);
        cs.executionStatus = stack.status === 'CREATE_COMPLETE' ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
      } else {
        await runUpdate(rc, stack, revision);
        cs.executionStatus = stack.status === 'UPDATE_COMPLETE' ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
      }
    });
  }

  deleteChangeSet(region: string, input: { ChangeSetName: string; StackName?: string }): void {
    const { stack, changeSet } = mustFindChangeSet(this.regionState(region), input.ChangeSetName, input.StackName);
    if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw new AwsError('InvalidChangeSetStatus', `Cannot delete ChangeSet [${changeSet.changeSetId}] in its current status of [EXECUTE_IN_PROGRESS]`, 400);
    }
    stack.changeSets = stack.changeSets.filter((c) => c !== changeSet);
    this.stackChanged(region, stack, 'changeSets');
  }

  listChangeSets(region: string, input: { StackName: string }): { Summaries: Array<Record<string, unknown>> } {
    const stack = mustFind(this.regionState(region), input.StackName);
    return { Summaries: stack.changeSets.map((c) => changeSetSummary(c, stack)) };
  }

  // ---- internals -------------------------------------------------------------------------

  /** Declare a change to a stack (or one of its fields) for the state's write barrier. */
  private stackChanged(region: string, stack: StackRecord, ...path: string[]): void {
    const i = this.regionState(region).stacks.indexOf(stack);
    if (i >= 0) this.ctx.state.changed('cloudformation', 'regions', region, 'stacks', String(i), ...path);
  }

  private regionState(region: string): RegionState {
    this.state.regions[region] ??= { stacks: [] };
    return this.state.regions[region];
  }

  private runContext(region: string): RunContext {
    return {
      cloud: this.ctx,
      region,
      provider: (type) => this.provider(type),
      importValue: (name) => exportsOf(this.regionState(region))[name]?.value,
      changed: (stack, ...path) => this.stackChanged(region, stack, ...path),
    };
  }

  private provider(type: string): ResourceProvider | undefined {
    return this.ctx.resource(type) ?? (Object.hasOwn(builtInProviders, type) ? builtInProviders[type] : undefined);
  }

  private launch(region: string, stack: StackRecord, op: (rc: RunContext) => Promise<void>): void {
    const rc = this.runContext(region);
    const done = op(rc)
      .catch((err) => this.ctx.log(`cloudformation: ${stack.stackName}: ${(err as Error).stack ?? err}`))
      .finally(() => {
        if (this.running.get(stack.stackId) === done) this.running.delete(stack.stackId);
        this.stackChanged(region, stack, 'changeSets'); // their execution status
      });
    this.running.set(stack.stackId, done);
  }

  private revision(region: string, stack: StackRecord, input: StackInput): StackRevision {
    return stackRevision(this.runContext(region), () => exportsOf(this.regionState(region)), stack, input);
  }

  private templateOf(region: string, input: TemplateInput): Template {
    return loadTemplate(templateText(this.ctx, region, input));
  }

}

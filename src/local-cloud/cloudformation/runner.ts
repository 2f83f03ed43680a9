// Runs stack operations after the API call has returned: creates, updates and deletes resources
// in dependency order, records every transition as a stack event, and rolls back on failure.

import { randomUUID } from 'node:crypto';
import type { CloudContext, ResourceContext, ResourceProvider } from '../types.js';
import type { PendingRollback, ResourceDecl, ResourceRecord, StackRecord, StackOutput, StackRevision, Template } from './model.js';
import { Resolver, evaluateConditions, type ResolveEnv } from './intrinsics.js';
import { dependencyGraph, referencedNames, reversed, runGraph, type Graph } from './graph.js';
import { typedParameters } from './parameters.js';
import { diffResource } from './diff.js';

const STACK_TYPE = 'AWS::CloudFormation::Stack';

export interface RunContext {
  cloud: CloudContext;
  region: string;
  provider(type: string): ResourceProvider | undefined;
  importValue(name: string): string | undefined;
  /** Declare a change to the stack (or a field: 'events', index) for the state's write barrier. */
  changed(stack: StackRecord, ...path: string[]): void;
}

export type { StackRevision } from './model.js';

export function stackEvent(rc: RunContext, stack: StackRecord, e: { logicalId: string; physicalId?: string; type: string; status: string; reason?: string; props?: unknown }): void {
  stack.events.push({
    EventId: randomUUID(),
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: e.logicalId,
    PhysicalResourceId: e.physicalId,
    ResourceType: e.type,
    Timestamp: rc.cloud.clock.now(),
    ResourceStatus: e.status,
    ResourceStatusReason: e.reason,
    ResourceProperties: e.props === undefined ? undefined : JSON.stringify(e.props),
  });
  rc.changed(stack, 'events', String(stack.events.length - 1));
  // An event follows every change the runner makes to a stack's status, resources and outputs.
  for (const field of RUN_FIELDS) rc.changed(stack, field);
}

/** The stack fields a run changes (beside events); the revision fields are declared where assigned. */
const RUN_FIELDS = ['status', 'statusReason', 'updatedAt', 'deletedAt', 'outputs', 'resources', 'pendingRollback', 'disableRollback', 'createdAt'];
/** The fields a new template revision replaces. */
export const REVISION_FIELDS = ['template', 'templateBody', 'parameters', 'capabilities', 'tags', 'description', 'imports', 'outputs'];

export function setStackStatus(rc: RunContext, stack: StackRecord, status: string, reason?: string): void {
  stack.status = status;
  stack.statusReason = reason;
  stackEvent(rc, stack, { logicalId: stack.stackName, physicalId: stack.stackId, type: STACK_TYPE, status, reason });
}

/** The resolver inputs for a stack as it is now (resources looked up live). */
export function resolveEnv(rc: RunContext, stack: StackRecord, template: Template, parameters: Record<string, string>, preview = false): ResolveEnv {
  return {
    template,
    region: rc.region,
    accountId: rc.cloud.accountId,
    stackName: stack.stackName,
    stackId: stack.stackId,
    params: typedParameters(template, parameters),
    resource: (id) => {
      const r = stack.resources[id];
      return r && r.physicalId !== undefined && live(r) ? r : undefined;
    },
    importValue: rc.importValue,
    preview,
  };
}

export function live(r: ResourceRecord): boolean {
  return !['CREATE_FAILED', 'DELETE_COMPLETE', 'DELETE_SKIPPED'].includes(r.status);
}

export interface Plan {
  resolver: Resolver;
  conditions: Record<string, boolean>;
  active: string[];
  graph: Graph;
}

/** Conditions evaluated, inactive resources dropped, dependency graph built (throws template errors). */
export function plan(rc: RunContext, stack: StackRecord, template: Template, parameters: Record<string, string>, preview = false): Plan {
  const env = resolveEnv(rc, stack, template, parameters, preview);
  const conditions = evaluateConditions(env);
  const active = Object.entries(template.Resources)
    .filter(([, decl]) => decl.Condition === undefined || conditions[decl.Condition])
    .map(([id]) => id);
  return { resolver: new Resolver(env, conditions), conditions, active, graph: dependencyGraph(template, active) };
}

function resourceContext(rc: RunContext, stack: StackRecord, logicalId: string): ResourceContext {
  return { cloud: rc.cloud, region: rc.region, accountId: rc.cloud.accountId, stackName: stack.stackName, stackId: stack.stackId, logicalId };
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Providers may finish synchronously; yielding a macrotask first keeps every stack operation
// observably asynchronous (the API response always goes out while the stack is *_IN_PROGRESS).
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const unsupported = (type: string): Error => new Error(`Unsupported resource type ${type} in the local cloud`);

async function createResource(rc: RunContext, stack: StackRecord, p: Plan, template: Template, id: string, status = 'CREATE'): Promise<ResourceRecord> {
  const decl = template.Resources[id];
  const type = decl.Type;
  stackEvent(rc, stack, { logicalId: id, type, status: `${status}_IN_PROGRESS`, reason: status === 'UPDATE' ? 'Requested update requires the creation of a new physical resource; hence creating one.' : undefined });
  try {
    await yieldToEventLoop();
    const provider = rc.provider(type);
    if (!provider) throw unsupported(type);
    const props = p.resolver.resolveProperties(decl.Properties);
    const result = await provider.create(resourceContext(rc, stack, id), props);
    const record: ResourceRecord = {
      logicalId: id, type, physicalId: result.physicalId, status: `${status}_COMPLETE`, props,
      attributes: result.attributes ?? {}, updatedAt: rc.cloud.clock.now(), deletionPolicy: decl.DeletionPolicy,
    };
    stack.resources[id] = record;
    stackEvent(rc, stack, { logicalId: id, physicalId: record.physicalId, type, status: record.status });
    return record;
  } catch (err) {
    const reason = reasonOf(err);
    if (status === 'CREATE') {
      stack.resources[id] = { logicalId: id, type, status: 'CREATE_FAILED', statusReason: reason, props: {}, attributes: {}, updatedAt: rc.cloud.clock.now() };
    }
    stackEvent(rc, stack, { logicalId: id, physicalId: stack.resources[id]?.physicalId, type, status: `${status}_FAILED`, reason });
    throw err;
  }
}

async function deleteResource(rc: RunContext, stack: StackRecord, record: ResourceRecord): Promise<void> {
  if (record.deletionPolicy === 'Retain' && record.physicalId !== undefined && record.status !== 'CREATE_FAILED') {
    record.status = 'DELETE_SKIPPED';
    stackEvent(rc, stack, { logicalId: record.logicalId, physicalId: record.physicalId, type: record.type, status: 'DELETE_SKIPPED' });
    return;
  }
  stackEvent(rc, stack, { logicalId: record.logicalId, physicalId: record.physicalId, type: record.type, status: 'DELETE_IN_PROGRESS' });
  try {
    await yieldToEventLoop();
    const provider = rc.provider(record.type);
    if (record.physicalId !== undefined && provider && record.status !== 'CREATE_FAILED') {
      await provider.delete(resourceContext(rc, stack, record.logicalId), record.physicalId, record.props);
    }
  } catch (err) {
    record.status = 'DELETE_FAILED';
    record.statusReason = reasonOf(err);
    stackEvent(rc, stack, { logicalId: record.logicalId, physicalId: record.physicalId, type: record.type, status: 'DELETE_FAILED', reason: record.statusReason });
    throw err;
  }
  record.status = 'DELETE_COMPLETE';
  record.statusReason = undefined;
  record.updatedAt = rc.cloud.clock.now();
  stackEvent(rc, stack, { logicalId: record.logicalId, physicalId: record.physicalId, type: record.type, status: 'DELETE_COMPLETE' });
}

/** Deletes the given records, each after every record that depends on it (per the template's graph). */
async function deleteAll(rc: RunContext, stack: StackRecord, records: ResourceRecord[], template: Template): Promise<string[]> {
  const ids = new Set(records.map((r) => r.logicalId));
  const graph: Graph = new Map();
  for (const r of records) {
    const decl = template.Resources?.[r.logicalId];
    const deps = new Set<string>();
    if (decl) {
      const names = [...refsOf(decl)];
      for (const n of names) if (ids.has(n) && n !== r.logicalId) deps.add(n);
    }
    graph.set(r.logicalId, deps);
  }
  const byId = new Map(records.map((r) => [r.logicalId, r]));
  const outcome = await runGraph(reversed(safeGraph(graph)), (id) => deleteResource(rc, stack, byId.get(id)!), false);
  return outcome.failed;
}

function refsOf(decl: ResourceDecl): Set<string> {
  const names = referencedNames(decl.Properties);
  for (const d of [decl.DependsOn ?? []].flat()) names.add(d);
  return names;
}

// A graph read back from an old template could in theory contain a cycle; break it rather than hang.
function safeGraph(graph: Graph): Graph {
  const seen = new Set<string>();
  const visit = (id: string, path: Set<string>): void => {
    if (seen.has(id)) return;
    path.add(id);
    for (const d of graph.get(id) ?? []) {
      if (path.has(d)) graph.get(id)!.delete(d);
      else visit(d, path);
    }
    path.delete(id);
    seen.add(id);
  };
  for (const id of graph.keys()) visit(id, new Set());
  return graph;
}

function computeOutputs(p: Plan, template: Template): StackOutput[] {
  const outputs: StackOutput[] = [];
  for (const [key, decl] of Object.entries(template.Outputs ?? {})) {
    if (decl.Condition !== undefined && !p.conditions[decl.Condition]) continue;
    const value = p.resolver.resolve(decl.Value);
    const exportName = decl.Export?.Name === undefined ? undefined : String(p.resolver.resolve(decl.Export.Name));
    outputs.push({
      OutputKey: key,
      OutputValue: Array.isArray(value) ? value.join(',') : String(value),
      Description: decl.Description,
      ExportName: exportName,
    });
  }
  return outputs;
}

export async function runCreate(rc: RunContext, stack: StackRecord): Promise<void> {
  setStackStatus(rc, stack, 'CREATE_IN_PROGRESS', 'User Initiated');
  let failure: string | undefined;
  try {
    const p = plan(rc, stack, stack.template, stack.parameters);
    const outcome = await runGraph(p.graph, (id) => createResource(rc, stack, p, stack.template, id).then(() => undefined));
    if (outcome.failed.length > 0) {
      failure = `The following resource(s) failed to create: [${outcome.failed.sort().join(', ')}]. `;
    } else {
      stack.outputs = computeOutputs(p, stack.template);
    }
  } catch (err) {
    failure = reasonOf(err);
  }
  if (failure === undefined) {
    setStackStatus(rc, stack, 'CREATE_COMPLETE');
    return;
  }
  if (stack.disableRollback) {
    setStackStatus(rc, stack, 'CREATE_FAILED', failure);
    return;
  }
  setStackStatus(rc, stack, 'ROLLBACK_IN_PROGRESS', `${failure}Rollback requested by user.`);
  const failed = await deleteAll(rc, stack, Object.values(stack.resources).filter((r) => r.status !== 'DELETE_COMPLETE'), stack.template);
  if (failed.length > 0) setStackStatus(rc, stack, 'ROLLBACK_FAILED', `The following resource(s) failed to delete: [${failed.join(', ')}]. `);
  else setStackStatus(rc, stack, 'ROLLBACK_COMPLETE');
}

export async function runDelete(rc: RunContext, stack: StackRecord): Promise<void> {
  setStackStatus(rc, stack, 'DELETE_IN_PROGRESS', 'User Initiated');
  const failed = await deleteAll(rc, stack, Object.values(stack.resources).filter((r) => r.status !== 'DELETE_COMPLETE' && r.status !== 'DELETE_SKIPPED'), stack.template);
  if (failed.length > 0) {
    setStackStatus(rc, stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${failed.join(', ')}]. `);
    return;
  }
  stack.deletedAt = rc.cloud.clock.now();
  stack.outputs = [];
  stack.pendingRollback = undefined;
  setStackStatus(rc, stack, 'DELETE_COMPLETE');
}

type Undo =
  | { kind: 'created'; id: string }
  | { kind: 'updated'; id: string; previous: ResourceRecord }
  | { kind: 'replaced'; id: string; previous: ResourceRecord };

export async function runUpdate(rc: RunContext, stack: StackRecord, next: StackRevision): Promise<void> {
  const before: StackRevision & { outputs: StackOutput[] } = {
    template: stack.template, templateBody: stack.templateBody, parameters: stack.parameters,
    capabilities: stack.capabilities, tags: stack.tags, description: stack.description, imports: stack.imports, outputs: stack.outputs,
  };
  Object.assign(stack, { template: next.template, templateBody: next.templateBody, parameters: next.parameters, capabilities: next.capabilities, tags: next.tags, description: next.description, imports: next.imports });
  for (const field of REVISION_FIELDS) rc.changed(stack, field);
  stack.updatedAt = rc.cloud.clock.now();
  setStackStatus(rc, stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
  const undo: Undo[] = [];
  let failure: string | undefined;
  let p: Plan | undefined;
  try {
    p = plan(rc, stack, next.template, next.parameters);
    const current = p;
    const outcome = await runGraph(p.graph, async (id) => {
      const decl = next.template.Resources[id];
      const previous = stack.resources[id];
      if (!previous || !live(previous)) {
        await createResource(rc, stack, current, next.template, id);
        undo.push({ kind: 'created', id });
        return;
      }
      const provider = rc.provider(decl.Type);
      const props = current.resolver.resolveProperties(decl.Properties);
      const diff = diffResource(provider, previous, decl.Type, props);
      if (diff.changed.length === 0) return;
      if (diff.replacement) {
        await createResource(rc, stack, current, next.template, id, 'UPDATE');
        undo.push({ kind: 'replaced', id, previous });
        return;
      }
      stackEvent(rc, stack, { logicalId: id, physicalId: previous.physicalId, type: decl.Type, status: 'UPDATE_IN_PROGRESS' });
      try {
        await yieldToEventLoop();
        const result = await provider!.update!(resourceContext(rc, stack, id), previous.physicalId!, props, previous.props);
        stack.resources[id] = { ...previous, physicalId: result.physicalId, attributes: result.attributes ?? previous.attributes, props, status: 'UPDATE_COMPLETE', updatedAt: rc.cloud.clock.now(), deletionPolicy: decl.DeletionPolicy };
        undo.push({ kind: 'updated', id, previous });
        stackEvent(rc, stack, { logicalId: id, physicalId: result.physicalId, type: decl.Type, status: 'UPDATE_COMPLETE' });
      } catch (err) {
        stackEvent(rc, stack, { logicalId: id, physicalId: previous.physicalId, type: decl.Type, status: 'UPDATE_FAILED', reason: reasonOf(err) });
        throw err;
      }
    });
    if (outcome.failed.length > 0) failure = `The following resource(s) failed to update: [${outcome.failed.sort().join(', ')}]. `;
    else stack.outputs = computeOutputs(p, next.template);
  } catch (err) {
    failure = reasonOf(err);
  }

  if (failure === undefined) {
    setStackStatus(rc, stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    const activeIds = new Set(p!.active);
    const obsolete = [
      ...undo.filter((u) => u.kind === 'replaced').map((u) => u.previous!),
      ...Object.values(stack.resources).filter((r) => !activeIds.has(r.logicalId) && live(r)),
    ];
    await deleteAll(rc, stack, obsolete, before.template);
    for (const id of Object.keys(stack.resources)) if (!activeIds.has(id)) delete stack.resources[id];
    setStackStatus(rc, stack, 'UPDATE_COMPLETE');
    return;
  }

  setStackStatus(rc, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', failure);
  const pending: PendingRollback = { before, nextTemplate: next.template, restores: [], replacements: [] };
  for (const step of [...undo].reverse()) {
    const current = stack.resources[step.id];
    if (step.kind === 'created') {
      await deleteResource(rc, stack, current).catch(() => undefined);
      delete stack.resources[step.id];
    } else if (step.kind === 'replaced') {
      pending.replacements.push(current);
      stack.resources[step.id] = { ...step.previous, status: 'UPDATE_COMPLETE', updatedAt: rc.cloud.clock.now() };
      stackEvent(rc, stack, { logicalId: step.id, physicalId: step.previous.physicalId, type: step.previous.type, status: 'UPDATE_COMPLETE' });
    } else {
      pending.restores.push({ id: step.id, previous: step.previous });
    }
  }
  // Resources that failed mid-create during the update leave a CREATE_FAILED record behind.
  for (const [id, r] of Object.entries(stack.resources)) if (r.status === 'CREATE_FAILED') delete stack.resources[id];
  await continueRollback(rc, stack, pending, []);
}

/**
 * Restore in place what the failed update changed, then bring back the old template and delete
 * the update's replacements. A restore that fails leaves the stack UPDATE_ROLLBACK_FAILED with the
 * rest of the work kept for ContinueUpdateRollback, as CloudFormation does (e.g. rolling a function
 * back to code whose S3 object was deleted meanwhile). Skipped resources are marked UPDATE_COMPLETE
 * as they are, inconsistent with the old template, as AWS warns.
 */
export async function continueRollback(rc: RunContext, stack: StackRecord, pending: PendingRollback, skip: string[]): Promise<void> {
  const failed: Array<{ id: string; previous: ResourceRecord }> = [];
  for (const step of pending.restores) {
    const current = stack.resources[step.id];
    if (skip.includes(step.id)) {
      stack.resources[step.id] = { ...current, status: 'UPDATE_COMPLETE', statusReason: undefined, updatedAt: rc.cloud.clock.now() };
      stackEvent(rc, stack, { logicalId: step.id, physicalId: current.physicalId, type: current.type, status: 'UPDATE_COMPLETE', reason: 'Resource skipped during UpdateRollback' });
      continue;
    }
    const provider = rc.provider(step.previous.type);
    stackEvent(rc, stack, { logicalId: step.id, physicalId: current.physicalId, type: step.previous.type, status: 'UPDATE_IN_PROGRESS' });
    try {
      await yieldToEventLoop();
      await provider!.update!(resourceContext(rc, stack, step.id), current.physicalId!, step.previous.props, current.props);
      stack.resources[step.id] = { ...step.previous, status: 'UPDATE_COMPLETE', updatedAt: rc.cloud.clock.now() };
      stackEvent(rc, stack, { logicalId: step.id, physicalId: step.previous.physicalId, type: step.previous.type, status: 'UPDATE_COMPLETE' });
    } catch (err) {
      stack.resources[step.id] = { ...current, status: 'UPDATE_FAILED', statusReason: reasonOf(err), updatedAt: rc.cloud.clock.now() };
      stackEvent(rc, stack, { logicalId: step.id, physicalId: current.physicalId, type: step.previous.type, status: 'UPDATE_FAILED', reason: reasonOf(err) });
      failed.push(step);
    }
  }
  if (failed.length > 0) {
    stack.pendingRollback = { ...pending, restores: failed };
    setStackStatus(rc, stack, 'UPDATE_ROLLBACK_FAILED', `The following resource(s) failed to update: [${failed.map((f) => f.id).sort().join(', ')}]. `);
    return;
  }
  stack.pendingRollback = undefined;
  const { before } = pending;
  Object.assign(stack, { template: before.template, templateBody: before.templateBody, parameters: before.parameters, capabilities: before.capabilities, tags: before.tags, description: before.description, imports: before.imports, outputs: before.outputs });
  for (const field of REVISION_FIELDS) rc.changed(stack, field);
  if (pending.replacements.length > 0) {
    setStackStatus(rc, stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    await deleteAll(rc, stack, pending.replacements, pending.nextTemplate);
  }
  setStackStatus(rc, stack, 'UPDATE_ROLLBACK_COMPLETE');
}

// Finding stacks and change sets in a region, and the checks CloudFormation makes on names and
// states before an operation starts; pure functions over a region's records.

import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import { dict } from '../keyed.js';
import type { ChangeSetRecord, RegionState, StackRecord } from './model.js';
import { IN_PROGRESS } from './model.js';
import type { Exports } from './revision.js';
import { validationError } from './template.js';

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

/** Every export of the region's live stacks, by name. */
export function exportsOf(rs: RegionState): Exports {
  const out: Exports = {};
  for (const stack of rs.stacks) {
    if (stack.status === 'DELETE_COMPLETE') continue;
    for (const o of stack.outputs) if (o.ExportName) out[o.ExportName] = { value: o.OutputValue, stack };
  }
  return out;
}

/** Why a stack cannot be deleted: another stack imports one of its exports. */
export function exportsInUse(rs: RegionState, stack: StackRecord): string | undefined {
  for (const o of stack.outputs) {
    if (!o.ExportName) continue;
    const importer = rs.stacks.find((s) => s !== stack && s.status !== 'DELETE_COMPLETE' && s.imports.includes(o.ExportName!));
    if (importer) return `Export ${o.ExportName} cannot be deleted as it is in use by ${importer.stackName}`;
  }
  return undefined;
}

/** A new stack's record, before its first operation runs. */
export function newStack(region: string, accountId: string, now: number, name: string): StackRecord {
  return {
    stackId: `arn:aws:cloudformation:${region}:${accountId}:stack/${name}/${randomUUID()}`,
    stackName: name,
    status: 'CREATE_IN_PROGRESS',
    createdAt: now,
    templateBody: '',
    template: { Resources: dict() },
    parameters: dict(),
    capabilities: [],
    tags: [],
    outputs: [],
    resources: dict(),
    events: [],
    changeSets: [],
    disableRollback: false,
    imports: [],
  };
}

export function checkName(name: string): void {
  if (!STACK_NAME.test(name ?? '')) {
    throw validationError(`1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`);
  }
}

export function checkUpdatable(stack: StackRecord): void {
  const blocked = IN_PROGRESS.test(stack.status) || ['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'DELETE_FAILED', 'UPDATE_ROLLBACK_FAILED'].includes(stack.status);
  if (blocked) throw validationError(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
}

export function findActive(rs: RegionState, nameOrId: string): StackRecord | undefined {
  return rs.stacks.find((s) => s.status !== 'DELETE_COMPLETE' && (s.stackName === nameOrId || s.stackId === nameOrId));
}

export function findById(rs: RegionState, id: string): StackRecord | undefined {
  return rs.stacks.find((s) => s.stackId === id);
}

// Deleted stacks stay visible by stack id only, as on AWS.
export function mustFind(rs: RegionState, nameOrId: string): StackRecord {
  const stack = findActive(rs, nameOrId) ?? findById(rs, nameOrId);
  if (!stack) throw validationError(`Stack with id ${nameOrId} does not exist`);
  return stack;
}

export function mustFindChangeSet(rs: RegionState, nameOrArn: string, stackName?: string): { stack: StackRecord; changeSet: ChangeSetRecord } {
  const stacks = nameOrArn.startsWith('arn:')
    ? rs.stacks
    : [stackName ? findActive(rs, stackName) ?? findById(rs, stackName) : undefined].filter((s): s is StackRecord => !!s);
  if (!nameOrArn.startsWith('arn:') && !stackName) throw validationError('StackName must be specified if ChangeSetName is not specified as an ARN.');
  for (const stack of stacks) {
    const changeSet = stack.changeSets.find((c) => c.changeSetId === nameOrArn || c.changeSetName === nameOrArn);
    if (changeSet) return { stack, changeSet };
  }
  throw new AwsError('ChangeSetNotFound', `ChangeSet [${nameOrArn}] does not exist`, 404);
}

// Change-set previews: what an update would add, modify (in place or by replacement) and remove.

import type { ChangeSetRecord, ResourceChange, StackRecord } from './model.js';
import { canonical, diffResource } from './diff.js';
import { live, plan, resolveEnv, type RunContext, type StackRevision } from './runner.js';
import { Resolver, evaluateConditions } from './intrinsics.js';

export const NO_CHANGES_REASON =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

export function resourceChanges(rc: RunContext, stack: StackRecord, next: StackRevision): ResourceChange[] {
  const p = plan(rc, stack, next.template, next.parameters, true);
  const changes: ResourceChange[] = [];
  for (const id of p.active) {
    const decl = next.template.Resources[id];
    const previous = stack.resources[id];
    if (!previous || !live(previous)) {
      changes.push({ Action: 'Add', LogicalResourceId: id, ResourceType: decl.Type, Scope: [], Details: [] });
      continue;
    }
    const props = p.resolver.resolveProperties(decl.Properties);
    const diff = diffResource(rc.provider(decl.Type), previous, decl.Type, props);
    if (diff.changed.length === 0) continue;
    const provider = rc.provider(decl.Type);
    changes.push({
      Action: 'Modify',
      LogicalResourceId: id,
      PhysicalResourceId: previous.physicalId,
      ResourceType: decl.Type,
      Replacement: diff.replacement ? 'True' : 'False',
      Scope: ['Properties'],
      Details: diff.changed.map((name) => ({
        Target: {
          Attribute: 'Properties',
          Name: name,
          RequiresRecreation: !provider?.update || provider.replaceOn?.includes(name) ? 'Always' : 'Never',
        },
        Evaluation: 'Static',
        ChangeSource: 'DirectModification',
      })),
    });
  }
  const active = new Set(p.active);
  for (const r of Object.values(stack.resources)) {
    if (!active.has(r.logicalId) && live(r)) {
      changes.push({ Action: 'Remove', LogicalResourceId: r.logicalId, PhysicalResourceId: r.physicalId, ResourceType: r.type, Scope: [], Details: [] });
    }
  }
  return changes;
}

/**
 * CloudFormation's "no changes": no resource changes, and nothing else visible to the stack
 * (outputs, parameters, tags) differs either.
 */
export function isNoChange(rc: RunContext, stack: StackRecord, next: StackRevision, changes: ResourceChange[]): boolean {
  if (changes.length > 0) return false;
  if (canonical(stack.parameters) !== canonical(next.parameters)) return false;
  if (canonical(stack.tags) !== canonical(next.tags)) return false;
  if (canonical(stack.template.Outputs ?? {}) !== canonical(next.template.Outputs ?? {})) {
    const env = resolveEnv(rc, stack, next.template, next.parameters, true);
    const resolver = new Resolver(env, evaluateConditions(env));
    const resolved = canonical(resolver.resolve(next.template.Outputs ?? {}));
    const envOld = resolveEnv(rc, stack, stack.template, stack.parameters, true);
    const resolvedOld = canonical(new Resolver(envOld, evaluateConditions(envOld)).resolve(stack.template.Outputs ?? {}));
    if (resolved !== resolvedOld) return false;
  }
  return true;
}

export function changeSetSummary(cs: ChangeSetRecord, stack: StackRecord): Record<string, unknown> {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ChangeSetId: cs.changeSetId,
    ChangeSetName: cs.changeSetName,
    ExecutionStatus: cs.executionStatus,
    Status: cs.status,
    StatusReason: cs.statusReason,
    CreationTime: new Date(cs.createdAt).toISOString(),
    Description: cs.description,
  };
}

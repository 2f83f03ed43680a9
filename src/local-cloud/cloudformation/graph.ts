// Resource dependency graph: edges come from Ref, Fn::GetAtt, Fn::Sub variables and DependsOn.
// CloudFormation creates independent resources concurrently and deletes in reverse order.

import type { Template } from './model.js';
import { PSEUDO_NAMES, TemplateError } from './intrinsics.js';

export type Graph = Map<string, Set<string>>;

/** Every name a value refers to (resources, parameters, pseudo parameters), by walking intrinsics. */
export function referencedNames(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencedNames(v, into);
    return into;
  }
  if (value === null || typeof value !== 'object') return into;
  for (const [key, arg] of Object.entries(value)) {
    if (key === 'Ref' && typeof arg === 'string') into.add(arg);
    else if (key === 'Fn::GetAtt') {
      const target = typeof arg === 'string' ? arg.split('.')[0] : Array.isArray(arg) ? arg[0] : undefined;
      if (typeof target === 'string') into.add(target);
      else referencedNames(arg, into);
    } else if (key === 'Fn::Sub') {
      const text = typeof arg === 'string' ? arg : Array.isArray(arg) ? arg[0] : undefined;
      const local = Array.isArray(arg) && arg[1] && typeof arg[1] === 'object' ? Object.keys(arg[1]) : [];
      if (typeof text === 'string') {
        for (const m of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          const name = m[1].trim().split('.')[0];
          if (!local.includes(m[1].trim())) into.add(name);
        }
      }
      if (Array.isArray(arg)) referencedNames(arg[1], into);
    } else referencedNames(arg, into);
  }
  return into;
}

/**
 * Dependencies between the active resources. References to declared-but-inactive resources
 * (their Condition is false) are ignored here; references to undeclared names are a
 * template format error, as in CloudFormation.
 */
export function dependencyGraph(template: Template, active: string[]): Graph {
  const resources: Record<string, { Properties?: unknown; DependsOn?: string | string[] }> = template.Resources ?? {};
  const params = new Set(Object.keys(template.Parameters ?? {}));
  const activeSet = new Set(active);
  const graph: Graph = new Map();
  const unresolved = new Set<string>();
  for (const id of active) {
    const decl = resources[id];
    const deps = new Set<string>();
    const names = referencedNames(decl.Properties);
    const dependsOn = decl.DependsOn === undefined ? [] : Array.isArray(decl.DependsOn) ? decl.DependsOn : [decl.DependsOn];
    for (const name of [...names, ...dependsOn]) {
      if (PSEUDO_NAMES.has(name) || params.has(name)) continue;
      if (!Object.hasOwn(resources, name)) unresolved.add(name);
      else if (activeSet.has(name)) deps.add(name);
    }
    graph.set(id, deps);
  }
  if (unresolved.size > 0) {
    throw new TemplateError(`Template format error: Unresolved resource dependencies [${[...unresolved].join(', ')}] in the Resources block of the template`);
  }
  assertAcyclic(graph);
  return graph;
}

function assertAcyclic(graph: Graph): void {
  const remaining = new Map([...graph].map(([id, deps]) => [id, new Set(deps)]));
  let progress = true;
  while (progress) {
    progress = false;
    for (const [id, deps] of remaining) {
      if ([...deps].every((d) => !remaining.has(d))) {
        remaining.delete(id);
        progress = true;
      }
    }
  }
  if (remaining.size === 0) return;
  // Drop resources that merely depend on a cycle, so the message names the cycle itself.
  progress = true;
  while (progress) {
    progress = false;
    for (const id of remaining.keys()) {
      const needed = [...remaining.values()].some((deps) => deps.has(id));
      if (!needed) {
        remaining.delete(id);
        progress = true;
      }
    }
  }
  throw new TemplateError(`Circular dependency between resources: [${[...remaining.keys()].sort().join(', ')}]`);
}

/** A topological order (dependencies first); ties keep template order. */
export function creationOrder(graph: Graph): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < graph.size) {
    for (const [id, deps] of graph) {
      if (!done.has(id) && [...deps].every((d) => done.has(d))) {
        order.push(id);
        done.add(id);
      }
    }
  }
  return order;
}

/** The graph with every edge turned around: a resource is deleted only after everything that needs it. */
export function reversed(graph: Graph): Graph {
  const out: Graph = new Map([...graph.keys()].map((id) => [id, new Set<string>()]));
  for (const [id, deps] of graph) for (const d of deps) out.get(d)?.add(id);
  return out;
}

export interface DagOutcome {
  completed: string[];
  failed: string[];
}

/**
 * Runs work for every node once its dependencies completed, as concurrently as the graph allows.
 * With stopOnFailure, nothing new starts after the first failure (work already started finishes).
 */
export async function runGraph(graph: Graph, work: (id: string) => Promise<void>, stopOnFailure = true): Promise<DagOutcome> {
  const completed: string[] = [];
  const failed: string[] = [];
  const started = new Set<string>();
  return new Promise((resolve) => {
    let running = 0;
    const pump = (): void => {
      const halted = stopOnFailure && failed.length > 0;
      if (!halted) {
        for (const [id, deps] of graph) {
          if (started.has(id)) continue;
          // With stopOnFailure off, a node whose dependency failed still runs (deletes continue).
          const ready = [...deps].every((d) => completed.includes(d) || (!stopOnFailure && failed.includes(d)));
          if (!ready) continue;
          started.add(id);
          running++;
          work(id).then(
            () => completed.push(id),
            () => failed.push(id),
          ).finally(() => {
            running--;
            pump();
          });
        }
      }
      if (running === 0) resolve({ completed, failed });
    };
    pump();
  });
}

import { deployOrder, stacksIn, type StagePlan } from './plan.js';

// Resource counts and names read from the planned stacks' templates, so a check never carries its
// own idea of what a stage creates.

/** How many resources of a CloudFormation type the stage creates in one region (or in all, without one). */
export function resourceCount(plan: StagePlan, type: string, region?: string): number {
  const stacks = region === undefined ? deployOrder(plan) : stacksIn(plan, region);
  return stacks.reduce((n, s) => n + s.resources.filter((r) => r.type === type).length, 0);
}

/** The names the templates give resources of a type, across the stage (sorted, unique). */
export function resourceNames(plan: StagePlan, type: string, region?: string): string[] {
  const stacks = region === undefined ? deployOrder(plan) : stacksIn(plan, region);
  return [...new Set(stacks.flatMap((s) => s.resources.filter((r) => r.type === type && r.name !== undefined).map((r) => r.name!)))].sort();
}

/** The names of the stacks that live in one region (the stage's own and the shared toolkit). */
export function stackNamesIn(plan: StagePlan, region: string): string[] {
  return stacksIn(plan, region).map((s) => s.name);
}

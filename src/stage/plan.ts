import { STACK_KINDS, type Phase, type StackKindSpec, type StageConfig } from './kinds.js';
import { stackName } from './names.js';
import { effectiveParameters, outputKeys, plannedResources, type PlannedResource } from './template-facts.js';
import { loadTemplate, type StackTemplate } from './templates.js';

export type { Phase, StackKindSpec, StageConfig } from './kinds.js';

/** One stack of the stage, in one region, with everything synth, deploy and the readers need. */
export interface PlannedStack {
  kind: string;
  phase: Phase;
  region: string;
  name: string;
  template: StackTemplate;
  /** Shared by every stage in the region (the toolkit). */
  shared: boolean;
  /** Values known from regionctl.yml. */
  parameters: Record<string, string>;
  /** Template parameter → bundled Lambda whose code key synth fills in. */
  codeParameters: Record<string, string>;
  /** Template parameter → output key of an earlier stack (deploy fills these). */
  outputParameters: Record<string, string>;
  /** The output keys this stack feeds forward to later stacks and to the readers. */
  outputs: string[];
  /** What it creates for these parameters (resources under an unknown condition included). */
  resources: PlannedResource[];
}

export interface StagePlan {
  service: string;
  stage: string;
  primaryRegion: string;
  /** managed: the dns stack creates the zone; otherwise it must already exist under this name. */
  hostedZone: { name: string; managed: boolean };
  /** Once-per-stage stacks deployed before every region. */
  before: PlannedStack[];
  /** Per configured region, its stacks in deploy order. */
  regions: { region: string; stacks: PlannedStack[] }[];
  /** Once-per-stage stacks deployed after every region. */
  after: PlannedStack[];
}

export interface PlanOptions {
  /** The stack kinds (default: regionctl's own); a test adds one to prove nothing else needs to change. */
  kinds?: readonly StackKindSpec[];
  /** Where the templates are (default: regionctl's bundled folder). */
  templatesDir?: string;
  /**
   * Plan every kind, also those regionctl.yml turns off: what destroy walks, since a stack made
   * under an earlier setting (cdn since turned off) must go too. Deleting a missing stack is a no-op.
   */
  everyKind?: boolean;
}

/**
 * The stage: which stacks go where and in what order, what each is given and what it feeds
 * forward. Every feature reads this instead of knowing stack kinds, names or order itself.
 */
export function planStage(config: StageConfig, opts: PlanOptions = {}): StagePlan {
  const kinds = (opts.kinds ?? STACK_KINDS).filter((k) => opts.everyKind || (k.enabled?.(config) ?? true));
  const plan = (spec: StackKindSpec, region: string): PlannedStack => {
    const template = loadTemplate(spec.template ?? `${spec.kind}.yml`, opts.templatesDir);
    const parameters = spec.parameters(config, region);
    return {
      kind: spec.kind,
      phase: spec.phase,
      region,
      name: stackName(spec.kind, config),
      template,
      shared: spec.shared ?? false,
      parameters,
      codeParameters: { ...(spec.code ?? {}) },
      outputParameters: { ...(spec.outputParameters ?? {}) },
      outputs: outputKeys(template.document),
      resources: plannedResources(template.document, effectiveParameters(template.document, parameters), region),
    };
  };
  const once = (phase: Phase) => kinds.filter((k) => k.phase === phase).map((k) => plan(k, k.home?.(config) ?? config.primaryRegion));
  return {
    service: config.service,
    stage: config.stage,
    primaryRegion: config.primaryRegion,
    hostedZone: { name: config.dns.zone, managed: config.dns.createZone },
    before: once('before'),
    regions: config.regions.map((region) => ({ region, stacks: kinds.filter((k) => k.phase === 'region').map((k) => plan(k, region)) })),
    after: once('after'),
  };
}

/** Every stack in deploy order: before, then each region's, then after. */
export function deployOrder(plan: StagePlan): PlannedStack[] {
  return [...plan.before, ...plan.regions.flatMap((r) => r.stacks), ...plan.after];
}

/** Every stack in destroy order: deploy order reversed per phase (after, then regions, then before). */
export function destroyOrder(plan: StagePlan): PlannedStack[] {
  return [...plan.after.slice().reverse(), ...plan.regions.flatMap((r) => r.stacks.slice().reverse()), ...plan.before.slice().reverse()];
}

/** The stacks that live in one region: its own, and the once-per-stage stacks homed there. */
export function stacksIn(plan: StagePlan, region: string): PlannedStack[] {
  return deployOrder(plan).filter((s) => s.region === region);
}

/** A region's stack of one kind (undefined when the plan has none). */
export function regionalStack(plan: StagePlan, region: string, kind: string): PlannedStack | undefined {
  return plan.regions.find((r) => r.region === region)?.stacks.find((s) => s.kind === kind);
}

/** The kinds deployed in every region, in deploy order. */
export function regionalKinds(plan: StagePlan): PlannedStack[] {
  return plan.regions[0]?.stacks ?? [];
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Io } from '../io/types.js';
import { artifactPrefix } from '../stage/names.js';
import { planStage, type PlannedStack, type StageConfig, type StagePlan } from '../stage/plan.js';
import { packageLambdas, type PackagedLambda } from './package-lambdas.js';
import { renderDocument, type StackKind } from './render-template.js';

export interface SynthLambda {
  name: string;
  zipPath: string;
  sha256: string;
  /** `artifacts/<service>/<stage>/lambdas/<name>-<sha12>.zip`: the stage's own key in every region's artifacts bucket. */
  s3Key: string;
  size: number;
}

export interface SynthStack {
  stackName: string;
  kind: StackKind;
  region: string;
  /** Template as JSON text. */
  templateBody: string;
  templatePath: string;
  /** Values synth knows (names, code keys, config settings); never the ones in outputParameters. */
  parameters: Record<string, string>;
  /**
   * Template parameter → output key of a stack deployed earlier: the same region's stacks before
   * this one, else the `before` stacks. Output keys named here are unique among those stacks.
   * `HostedZoneId` has no stack when `hostedZone.managed` is false: deploy looks the zone up by name.
   */
  outputParameters: Record<string, string>;
}

export interface SynthResult {
  outDir: string;
  lambdas: SynthLambda[];
  /** Global stacks deployed once before any region (the dns stack when the zone is managed). */
  before: SynthStack[];
  /** Per region, stacks in deployment order (toolkit, health, service). */
  regions: { region: string; stacks: SynthStack[] }[];
  /** Global stacks deployed once after every region (the edge stack when cdn is on). */
  after: SynthStack[];
  /** managed: a dns stack creates the zone; otherwise it must already exist under this name. */
  hostedZone: { name: string; managed: boolean };
}

export type SynthConfig = StageConfig;

export interface SynthOptions {
  config: SynthConfig;
  /** The stage's plan (default: planStage(config)); what synth renders, in its order. */
  plan?: StagePlan;
  cwd: string;
  io?: Io;
  /** Override for tests; defaults to the folder shipped with regionctl. */
  lambdasDir?: string;
}

type StackEntry = Omit<SynthStack, 'templateBody'>;

interface Manifest {
  version: 1;
  service: string;
  stage: string;
  lambdas: PackagedLambda[];
  hostedZone: SynthResult['hostedZone'];
  before: StackEntry[];
  regions: { region: string; stacks: StackEntry[] }[];
  after: StackEntry[];
}

export function buildDir(cwd: string): string {
  return join(cwd, '.regionctl', 'build');
}

/**
 * Render every stack for every configured region and package the Lambdas, under
 * `<cwd>/.regionctl/build/`. Running it again with nothing changed rewrites nothing.
 */
export async function synth(opts: SynthOptions): Promise<SynthResult> {
  const { config, io } = opts;
  const outDir = buildDir(opts.cwd);
  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, 'manifest.json');
  io?.emit({ kind: 'step', id: 'synth', state: 'start', label: 'packaging Lambdas' });
  try {
    const built = await packageLambdas({ outDir, lambdasDir: opts.lambdasDir, previous: readManifest(manifestPath)?.lambdas, io });
    // The zip stays where it was built; only the bucket key is scoped to the stage.
    const packaged = built.map((l) => ({ ...l, s3Key: `${artifactPrefix(config)}${l.s3Key}` }));
    const byName = new Map(packaged.map((l) => [l.name, l]));
    const plan = opts.plan ?? planStage(config);

    io?.emit({ kind: 'step', id: 'synth', state: 'update', label: `rendering templates for ${config.regions.length} region(s)` });
    const bodies = new Map<string, string>();
    const stack = (planned: PlannedStack): SynthStack => {
      const { path } = planned.template;
      if (!bodies.has(path)) bodies.set(path, renderDocument(planned.template.document));
      const templateBody = bodies.get(path)!;
      const templatePath = join(outDir, planned.region, `${planned.name}.template.json`);
      writeTextIfChanged(templatePath, templateBody);
      const codeKeys = Object.fromEntries(Object.entries(planned.codeParameters).map(([parameter, lambda]) => [parameter, required(byName, lambda).s3Key]));
      return {
        stackName: planned.name,
        kind: planned.kind,
        region: planned.region,
        templateBody,
        templatePath,
        parameters: { ...planned.parameters, ...codeKeys },
        outputParameters: planned.outputParameters,
      };
    };
    const hostedZone = plan.hostedZone;
    const before = plan.before.map(stack);
    const regions = plan.regions.map((r) => ({ region: r.region, stacks: r.stacks.map(stack) }));
    const after = plan.after.map(stack);

    const entry = ({ templateBody: _body, ...s }: SynthStack): StackEntry => ({ ...s, templatePath: relative(outDir, s.templatePath) });
    const manifest: Manifest = {
      version: 1,
      service: config.service,
      stage: config.stage,
      lambdas: built.map((l) => ({ ...l, zipPath: relative(outDir, l.zipPath) })),
      hostedZone,
      before: before.map(entry),
      regions: regions.map((r) => ({ region: r.region, stacks: r.stacks.map(entry) })),
      after: after.map(entry),
    };
    writeTextIfChanged(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const count = before.length + after.length + regions.reduce((n, r) => n + r.stacks.length, 0);
    io?.emit({ kind: 'step', id: 'synth', state: 'done', label: `${packaged.length} Lambda(s), ${count} template(s) in ${relative(opts.cwd, outDir)}` });
    const lambdas = packaged.map(({ name, zipPath, sha256, s3Key, size }): SynthLambda => ({ name, zipPath, sha256, s3Key, size }));
    return { outDir, lambdas, before, regions, after, hostedZone };
  } catch (error) {
    io?.emit({ kind: 'step', id: 'synth', state: 'failed', label: (error as Error).message });
    throw error;
  }
}

function required(byName: Map<string, PackagedLambda>, name: string): PackagedLambda {
  const found = byName.get(name);
  if (!found) throw new Error(`the ${name} Lambda is missing from the bundled lambdas`);
  return found;
}

// A corrupt or older manifest only costs a rebuild, never a failure.
function readManifest(path: string): Manifest | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    return parsed.version === 1 && Array.isArray(parsed.lambdas) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function writeTextIfChanged(path: string, text: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

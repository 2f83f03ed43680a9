import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import type { Io } from '../io/types.js';
import { artifactPrefix } from './artifacts.js';
import { assetDir } from './asset-paths.js';
import { packageLambdas, type PackagedLambda } from './package-lambdas.js';
import { renderTemplate, type StackKind } from './render-template.js';
import { EDGE_REGION, STACK_KINDS, stackName } from './plan.js';
import { stackParameters } from './stack-parameters.js';

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

export type SynthConfig = Pick<ResolvedConfig, 'service' | 'stage' | 'regions' | 'primaryRegion' | 'dns' | 'healthCheck' | 'cdn' | 'permissionsBoundary'>;

export interface SynthOptions {
  config: SynthConfig;
  cwd: string;
  io?: Io;
  /** Overrides for tests; default to the folders shipped with regionctl. */
  templatesDir?: string;
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

export { TOOLKIT_STACK_NAME, stackName } from './plan.js';

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
    const check = required(byName, 'check');

    const codeKeys = { check: check.s3Key, canary: required(byName, 'canary').s3Key, hello: required(byName, 'hello').s3Key };

    io?.emit({ kind: 'step', id: 'synth', state: 'update', label: `rendering templates for ${config.regions.length} region(s)` });
    const templatesDir = opts.templatesDir ?? assetDir('templates');
    const bodies = new Map<StackKind, string>();
    const stack = (kind: StackKind, region: string): SynthStack => {
      if (!bodies.has(kind)) bodies.set(kind, renderTemplate(kind, templatesDir));
      const templateBody = bodies.get(kind)!;
      const name = stackName(kind, config);
      const templatePath = join(outDir, region, `${name}.template.json`);
      writeTextIfChanged(templatePath, templateBody);
      const { parameters, outputParameters } = stackParameters(kind, region, config, codeKeys);
      return { stackName: name, kind, region, templateBody, templatePath, parameters, outputParameters };
    };
    const hostedZone = { name: config.dns.zone, managed: config.dns.createZone };
    const before = hostedZone.managed ? [stack('dns', config.primaryRegion)] : [];
    const regions = config.regions.map((region) => ({ region, stacks: (['toolkit', ...STACK_KINDS] as const).map((kind) => stack(kind, region)) }));
    const after = config.cdn ? [stack('edge', EDGE_REGION)] : [];

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

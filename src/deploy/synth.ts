import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import type { Io } from '../io/types.js';
import { assetDir } from './asset-paths.js';
import { packageLambdas, type PackagedLambda } from './package-lambdas.js';
import { renderTemplate, type StackKind } from './render-template.js';

export interface SynthLambda {
  name: string;
  zipPath: string;
  sha256: string;
  /** `lambdas/<name>-<sha12>.zip`: the same key in every region's artifacts bucket. */
  s3Key: string;
  size: number;
}

export interface SynthStack {
  stackName: string;
  kind: 'toolkit' | 'health';
  region: string;
  /** Template as JSON text. */
  templateBody: string;
  templatePath: string;
  /** Without ArtifactBucket, which deploy fills in once the toolkit stack exists. */
  parameters: Record<string, string>;
}

export interface SynthResult {
  outDir: string;
  lambdas: SynthLambda[];
  /** Per region, stacks in deployment order (the toolkit first). */
  regions: { region: string; stacks: SynthStack[] }[];
}

export interface SynthOptions {
  config: Pick<ResolvedConfig, 'service' | 'stage' | 'regions' | 'primaryRegion'>;
  cwd: string;
  io?: Io;
  /** Overrides for tests; default to the folders shipped with regionctl. */
  templatesDir?: string;
  lambdasDir?: string;
}

interface Manifest {
  version: 1;
  service: string;
  stage: string;
  lambdas: PackagedLambda[];
  regions: { region: string; stacks: Array<Omit<SynthStack, 'templateBody'>> }[];
}

export const TOOLKIT_STACK_NAME = 'regionctl-toolkit';

export function buildDir(cwd: string): string {
  return join(cwd, '.regionctl', 'build');
}

export function stackName(kind: StackKind, config: Pick<ResolvedConfig, 'service' | 'stage'>): string {
  return kind === 'toolkit' ? TOOLKIT_STACK_NAME : `${config.service}-${config.stage}-${kind}`;
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
    const packaged = await packageLambdas({ outDir, lambdasDir: opts.lambdasDir, previous: readManifest(manifestPath)?.lambdas, io });
    const byName = new Map(packaged.map((l) => [l.name, l]));
    const check = byName.get('check');
    if (!check) throw new Error('the check Lambda is missing from the bundled lambdas');

    io?.emit({ kind: 'step', id: 'synth', state: 'update', label: `rendering templates for ${config.regions.length} region(s)` });
    const templatesDir = opts.templatesDir ?? assetDir('templates');
    const bodies: Record<StackKind, string> = { toolkit: renderTemplate('toolkit', templatesDir), health: renderTemplate('health', templatesDir) };
    const parameters: Record<StackKind, Record<string, string>> = {
      toolkit: { EncryptionType: 'AES256', Versioning: 'false' },
      health: { Service: config.service, Stage: config.stage, CheckCodeKey: check.s3Key },
    };
    const kinds: StackKind[] = ['toolkit', 'health'];
    const regions = config.regions.map((region) => ({
      region,
      stacks: kinds.map((kind): SynthStack => {
        const name = stackName(kind, config);
        const templatePath = join(outDir, region, `${name}.template.json`);
        writeTextIfChanged(templatePath, bodies[kind]);
        return { stackName: name, kind, region, templateBody: bodies[kind], templatePath, parameters: { ...parameters[kind] } };
      }),
    }));

    const manifest: Manifest = {
      version: 1,
      service: config.service,
      stage: config.stage,
      lambdas: packaged.map((l) => ({ ...l, zipPath: relative(outDir, l.zipPath) })),
      regions: regions.map((r) => ({
        region: r.region,
        stacks: r.stacks.map(({ templateBody: _body, ...s }) => ({ ...s, templatePath: relative(outDir, s.templatePath) })),
      })),
    };
    writeTextIfChanged(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    io?.emit({ kind: 'step', id: 'synth', state: 'done', label: `${packaged.length} Lambda(s), ${regions.length * kinds.length} template(s) in ${relative(opts.cwd, outDir)}` });
    const lambdas = packaged.map(({ name, zipPath, sha256, s3Key, size }): SynthLambda => ({ name, zipPath, sha256, s3Key, size }));
    return { outDir, lambdas, regions };
  } catch (error) {
    io?.emit({ kind: 'step', id: 'synth', state: 'failed', label: (error as Error).message });
    throw error;
  }
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

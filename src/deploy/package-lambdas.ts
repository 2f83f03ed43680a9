import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build, version as esbuildVersion, type BuildFailure } from 'esbuild';
import { RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import { assetDir } from '../asset-paths.js';
import { deterministicZip } from './deterministic-zip.js';
import type { SynthLambda } from './synth.js';

/** A packaged Lambda plus what it was built from, so the next synth can skip unchanged ones. */
export interface PackagedLambda extends SynthLambda {
  buildKey: string;
  /** Source files that went into the bundle (relative to the lambdas folder) → sha256. */
  inputs: Record<string, string>;
}

export interface PackageLambdasOptions {
  /** Build output folder; zips go to `<outDir>/lambdas/`. */
  outDir: string;
  lambdasDir?: string;
  /** Entries of the previous manifest: reused without bundling when none of their inputs changed. */
  previous?: readonly PackagedLambda[];
  io?: Io;
}

// The nodejs runtimes ship SDK v3, so it stays out of the zip. tsconfigRaw pins the TypeScript
// settings: otherwise esbuild would pick up whatever tsconfig.json sits above an installed package
// and the same source could bundle (and hash) differently from one machine to the next.
const BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['@aws-sdk/*'],
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  charset: 'utf8',
  tsconfigRaw: {},
} as const;

// Changing the options or esbuild itself must invalidate every cached bundle.
const BUILD_KEY = sha256(JSON.stringify({ esbuild: esbuildVersion, options: BUILD_OPTIONS, zip: 1 }));

/** Folders of `lambdasDir` that hold an index.ts: one Lambda each, named after the folder. */
export function discoverLambdas(lambdasDir: string = assetDir('lambdas')): string[] {
  return readdirSync(lambdasDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(lambdasDir, e.name, 'index.ts')))
    .map((e) => e.name)
    .sort();
}

/** Bundle and zip every Lambda under `<outDir>/lambdas/<name>-<sha12>.zip`, reusing unchanged ones. */
export async function packageLambdas(opts: PackageLambdasOptions): Promise<PackagedLambda[]> {
  const lambdasDir = opts.lambdasDir ?? assetDir('lambdas');
  const zipDir = join(opts.outDir, 'lambdas');
  mkdirSync(zipDir, { recursive: true });
  const packaged: PackagedLambda[] = [];
  for (const name of discoverLambdas(lambdasDir)) {
    const previous = opts.previous?.find((p) => p.name === name);
    const cached = previous && reusable(previous, lambdasDir, opts.outDir) ? { ...previous, zipPath: join(opts.outDir, previous.s3Key) } : undefined;
    if (cached) {
      opts.io?.emit({ kind: 'debug', message: `${name}: unchanged (${cached.s3Key})` });
      packaged.push(cached);
      continue;
    }
    const fresh = await bundleOne(name, lambdasDir, opts.outDir);
    opts.io?.emit({ kind: 'debug', message: `${name}: bundled ${fresh.size} bytes → ${fresh.s3Key}` });
    packaged.push(fresh);
  }
  pruneStaleZips(zipDir, packaged);
  return packaged;
}

async function bundleOne(name: string, lambdasDir: string, outDir: string): Promise<PackagedLambda> {
  const result = await build({
    ...BUILD_OPTIONS,
    external: [...BUILD_OPTIONS.external],
    entryPoints: [join(lambdasDir, name, 'index.ts')],
    // Relative to the lambdas folder, so path comments inside the bundle do not depend on where regionctl is installed.
    absWorkingDir: lambdasDir,
    outfile: 'index.js',
    write: false,
    metafile: true,
    logLevel: 'silent',
  }).catch((error: BuildFailure) => {
    const detail = (error.errors ?? []).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('\n');
    throw new RegionctlError('LambdaBundleFailed', `cannot bundle the ${name} Lambda:\n${detail || error.message}`, 1, { cause: error });
  });
  const code = result.outputFiles.find((f) => basename(f.path) === 'index.js');
  if (!code) throw new RegionctlError('LambdaBundleFailed', `esbuild produced no index.js for the ${name} Lambda`);
  const zip = deterministicZip({ 'index.js': code.contents });
  const digest = sha256(zip);
  const s3Key = `lambdas/${name}-${digest.slice(0, 12)}.zip`;
  const zipPath = join(outDir, s3Key);
  writeIfDifferent(zipPath, zip, digest);
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs).sort()) inputs[input] = sha256(readFileSync(resolve(lambdasDir, input)));
  return { name, zipPath, sha256: digest, s3Key, size: zip.length, buildKey: BUILD_KEY, inputs };
}

// Reuse a previous bundle only if it was built the same way, from the same bytes, and its zip is intact.
function reusable(previous: PackagedLambda, lambdasDir: string, outDir: string): boolean {
  if (previous.buildKey !== BUILD_KEY || !previous.inputs || Object.keys(previous.inputs).length === 0) return false;
  for (const [input, digest] of Object.entries(previous.inputs)) {
    const file = resolve(lambdasDir, input);
    if (!existsSync(file) || sha256(readFileSync(file)) !== digest) return false;
  }
  const zipPath = join(outDir, previous.s3Key);
  return existsSync(zipPath) && statSync(zipPath).size === previous.size && sha256(readFileSync(zipPath)) === previous.sha256;
}

// Same hash, same bytes: leave the file (and its mtime) alone. Otherwise write atomically.
function writeIfDifferent(path: string, data: Uint8Array, digest: string): void {
  if (existsSync(path) && sha256(readFileSync(path)) === digest) return;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function pruneStaleZips(zipDir: string, keep: readonly PackagedLambda[]): void {
  const wanted = new Set(keep.map((l) => basename(l.zipPath)));
  for (const file of readdirSync(zipDir)) {
    if (file.endsWith('.zip') && !wanted.has(file)) rmSync(join(zipDir, file), { force: true });
  }
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

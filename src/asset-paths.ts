import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type AssetKind = 'templates' | 'lambdas';

// A file each real asset folder has. dist/lambdas also exists (tsc compiles the handlers there),
// but it holds .js without index.ts and must not be mistaken for the sources esbuild bundles.
const MARKER: Record<AssetKind, string> = { templates: 'health.yml', lambdas: join('check', 'index.ts') };

// The package ships src/templates and src/lambdas as source: from src/ (tsx, vitest) they sit at
// ./<kind>, from the compiled dist/ at ../src/<kind>.
export function assetDir(kind: AssetKind): string {
  const candidates = [`./${kind}/`, `../src/${kind}/`].map((rel) => fileURLToPath(new URL(rel, import.meta.url)).replace(/[\\/]$/, ''));
  const found = candidates.find((dir) => existsSync(join(dir, MARKER[kind])));
  if (!found) throw new Error(`cannot find regionctl's bundled ${kind}: looked in ${candidates.join(' and ')}`);
  return found;
}

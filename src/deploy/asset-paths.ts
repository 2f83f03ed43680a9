import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type AssetKind = 'templates' | 'lambdas';

// The package ships src/templates and src/lambdas as source: from src/deploy/ (tsx, vitest) they
// sit at ../<kind>, from the compiled dist/deploy/ at ../../src/<kind>.
export function assetDir(kind: AssetKind): string {
  const candidates = [new URL(`../${kind}/`, import.meta.url), new URL(`../../src/${kind}/`, import.meta.url)].map((u) =>
    fileURLToPath(u),
  );
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`cannot find the bundled ${kind}: looked in ${candidates.join(' and ')}`);
  return found.replace(/[\\/]$/, '');
}

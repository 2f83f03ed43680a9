import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../cfn-yaml.js';
import { assetDir } from '../deploy/asset-paths.js';

/** Resource types (sorted, unique) that the bundled templates declare under Resources. */
export function bundledResourceTypes(dir = assetDir('templates')): string[] {
  const types = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const template = parseTemplate(readFileSync(join(dir, file), 'utf8')) as { Resources?: Record<string, { Type?: string }> };
    for (const resource of Object.values(template.Resources ?? {})) if (resource.Type) types.add(resource.Type);
  }
  return [...types].sort();
}

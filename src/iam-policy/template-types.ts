import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../cfn-yaml.js';
import { assetDir } from '../deploy/asset-paths.js';
import { plannedStacks, type PolicyTarget } from './target.js';

/** Resource types (sorted, unique) that one bundled template declares under Resources. */
export function templateResourceTypes(kind: string, dir = assetDir('templates')): string[] {
  const template = parseTemplate(readFileSync(join(dir, `${kind}.yml`), 'utf8')) as { Resources?: Record<string, { Type?: string }> };
  return [...new Set(Object.values(template.Resources ?? {}).flatMap((r) => (r.Type ? [r.Type] : [])))].sort();
}

/** Resource types (sorted, unique) that the bundled templates declare under Resources. */
export function bundledResourceTypes(dir = assetDir('templates')): string[] {
  const kinds = readdirSync(dir).filter((f) => /\.yml$/.test(f)).map((f) => f.replace(/\.yml$/, ''));
  return [...new Set(kinds.flatMap((k) => templateResourceTypes(k, dir)))].sort();
}

/**
 * Resource types the stage's stacks create: the templates of its planned stacks only (no dns stack
 * without dns.createZone, no edge without cdn), and no certificate where regionctl.yml names one.
 */
export function plannedResourceTypes(t: PolicyTarget, dir = assetDir('templates')): string[] {
  const types = new Set<string>();
  for (const stack of plannedStacks(t)) {
    for (const type of templateResourceTypes(stack.kind, dir)) {
      if (type === 'AWS::CertificateManager::Certificate' && t.certificateArns[stack.region]) continue;
      types.add(type);
    }
  }
  return [...types].sort();
}

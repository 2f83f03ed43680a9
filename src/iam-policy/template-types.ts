import { readdirSync } from 'node:fs';
import { assetDir } from '../asset-paths.js';
import { declaredTypes } from '../stage/template-facts.js';
import { loadTemplate } from '../stage/templates.js';
import { deployOrder } from '../stage/plan.js';
import type { PolicyTarget } from './target.js';

/** Resource types (sorted, unique) that one bundled template declares under Resources. */
export function templateResourceTypes(kind: string, dir = assetDir('templates')): string[] {
  return declaredTypes(loadTemplate(`${kind}.yml`, dir).document);
}

/** Resource types (sorted, unique) that the bundled templates declare under Resources. */
export function bundledResourceTypes(dir = assetDir('templates')): string[] {
  const kinds = readdirSync(dir).filter((f) => /\.yml$/.test(f)).map((f) => f.replace(/\.yml$/, ''));
  return [...new Set(kinds.flatMap((k) => templateResourceTypes(k, dir)))].sort();
}

/**
 * Resource types the stage's stacks create: the templates of its planned stacks only (no dns stack
 * without dns.createZone, no edge without cdn), without resources whose condition is false for this
 * config (no certificate where regionctl.yml names one).
 */
export function plannedResourceTypes(t: PolicyTarget): string[] {
  return [...new Set(deployOrder(t.plan).flatMap((s) => s.resources.map((r) => r.type)))].sort();
}

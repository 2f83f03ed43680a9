import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { assetDir } from '../asset-paths.js';
import { parseTemplate } from '../cfn-yaml.js';

/** A CloudFormation template in its JSON shape (short tags expanded). */
export interface TemplateDocument {
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources?: Record<string, { Type?: string; Condition?: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One bundled (or fixture) template: where it came from and what it says. */
export interface StackTemplate {
  path: string;
  document: TemplateDocument;
}

const cache = new Map<string, { text: string; template: StackTemplate }>();

/** Where templates are read from: regionctl's own folder unless a test or fixture says otherwise. */
export function templatesDir(dir?: string): string {
  return dir ?? assetDir('templates');
}

/** Read and parse `<dir>/<file>` (or `file` when absolute); parsed once per process unless the file changed. */
export function loadTemplate(file: string, dir?: string): StackTemplate {
  const path = resolve(templatesDir(dir), file);
  const text = readFileSync(path, 'utf8');
  const hit = cache.get(path);
  if (hit && hit.text === text) return hit.template;
  const template = { path, document: parseTemplate(text) as TemplateDocument };
  cache.set(path, { text, template });
  return template;
}

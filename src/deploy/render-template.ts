import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../cfn-yaml.js';
import { pinApiDeployments } from './api-deployment-id.js';
import { assetDir } from './asset-paths.js';
import { withTemplateHash } from './template-hash.js';

export type StackKind = 'toolkit' | 'health' | 'service' | 'dns' | 'edge';

export const STACK_KINDS: readonly StackKind[] = ['toolkit', 'health', 'service', 'dns', 'edge'];

/** The bundled template of a stack kind, as the JSON CloudFormation receives (short tags expanded). */
export function renderTemplate(kind: StackKind, templatesDir: string = assetDir('templates')): string {
  const text = readFileSync(join(templatesDir, `${kind}.yml`), 'utf8');
  return `${JSON.stringify(withTemplateHash(pinApiDeployments(parseTemplate(text))), null, 2)}\n`;
}

import { STACK_KINDS } from '../stage/kinds.js';
import { loadTemplate, type TemplateDocument } from '../stage/templates.js';
import { pinApiDeployments } from './api-deployment-id.js';
import { withTemplateHash } from './template-hash.js';

export type StackKind = string;

/** Every stack kind regionctl ships a template for. */
export const STACK_KIND_NAMES: readonly string[] = STACK_KINDS.map((k) => k.kind);

/** A template as the JSON CloudFormation receives: API deployments pinned, the template hash added. */
export function renderDocument(document: TemplateDocument): string {
  return `${JSON.stringify(withTemplateHash(pinApiDeployments(document)), null, 2)}\n`;
}

/** The bundled template of a stack kind, as the JSON CloudFormation receives (short tags expanded). */
export function renderTemplate(kind: StackKind, templatesDir?: string): string {
  return renderDocument(loadTemplate(`${kind}.yml`, templatesDir).document);
}

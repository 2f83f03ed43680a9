import { createHash } from 'node:crypto';

/**
 * Every rendered template carries an output holding the hash of the rest of the template. A
 * deployed stack's DescribeStacks (which deploy reads anyway) then says whether its template is
 * what we would send, without a GetTemplate round trip per stack.
 */
export const TEMPLATE_HASH_OUTPUT = 'RegionctlTemplateHash';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export interface HashedTemplate {
  Outputs: Record<string, { Description?: string; Value?: unknown }>;
  [section: string]: unknown;
}

export function withTemplateHash(template: Record<string, unknown>): HashedTemplate {
  const { [TEMPLATE_HASH_OUTPUT]: _old, ...outputs } = (template.Outputs ?? {}) as HashedTemplate['Outputs'];
  const bare = { ...template, Outputs: outputs };
  const hash = createHash('sha256').update(canonicalJson(bare)).digest('hex');
  return { ...template, Outputs: { ...outputs, [TEMPLATE_HASH_OUTPUT]: { Description: 'regionctl: hash of this template, to skip unchanged deploys', Value: hash } } };
}

/** The hash a rendered template body carries, if any. */
export function templateHashOf(templateBody: string): string | undefined {
  try {
    const value = (JSON.parse(templateBody) as { Outputs?: Record<string, { Value?: unknown }> }).Outputs?.[TEMPLATE_HASH_OUTPUT]?.Value;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

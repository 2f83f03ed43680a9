// Decides what an update does to one resource: nothing, an in-place update, or a replacement.

import type { ResourceProvider } from '../types.js';
import type { ResourceRecord } from './model.js';

/** JSON with sorted keys, so property bags compare by content. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface ResourceDiff {
  changed: string[];
  replacement: boolean;
}

export function diffResource(
  provider: ResourceProvider | undefined,
  previous: ResourceRecord,
  type: string,
  props: Record<string, unknown>,
): ResourceDiff {
  const keys = new Set([...Object.keys(previous.props), ...Object.keys(props)]);
  const changed = [...keys].filter((k) => canonical(previous.props[k]) !== canonical(props[k]));
  if (previous.type !== type) return { changed: changed.length ? changed : ['Type'], replacement: true };
  const replacement = changed.length > 0 && (!provider?.update || changed.some((k) => provider.replaceOn?.includes(k)));
  return { changed, replacement };
}

import { Chalk } from 'chalk';
import type { Style } from './types.js';

const identity = (s: string): string => s;

export const plainStyle: Style = { ok: identity, bad: identity, dim: identity, bold: identity, warn: identity };

// A private Chalk instance so --no-color never depends on chalk's global stdout detection.
export function createStyle(color: boolean): Style {
  if (!color) return plainStyle;
  const c = new Chalk({ level: 1 });
  return { ok: c.green, bad: c.red, dim: c.dim, bold: c.bold, warn: c.yellow };
}

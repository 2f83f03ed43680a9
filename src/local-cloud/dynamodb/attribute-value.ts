import { compareNumbers, normalizeNumber } from './decimal.js';

/** A DynamoDB attribute value in its wire form: exactly one of these keys is set. */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  SS?: string[];
  NS?: string[];
  BS?: string[];
}

export type Item = Record<string, AttributeValue>;

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

export function typeOf(value: AttributeValue): AttributeType {
  const key = Object.keys(value)[0] as AttributeType | undefined;
  if (!key || !ATTRIBUTE_TYPES.includes(key)) throw new Error(`not an attribute value: ${JSON.stringify(value)}`);
  return key;
}

// Binary values arrive base64-encoded; comparisons are on the unsigned bytes, as DynamoDB does.
function compareBinary(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

/** Ordering for scalar S/N/B of the same type; undefined when the values are not comparable. */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return undefined;
  if (ta === 'N') return compareNumbers(a.N!, b.N!);
  if (ta === 'S') return a.S! < b.S! ? -1 : a.S! > b.S! ? 1 : 0;
  if (ta === 'B') return compareBinary(a.B!, b.B!);
  return undefined;
}

function sameSet(a: string[], b: string[], eq: (x: string, y: string) => boolean): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => eq(x, y)));
}

export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  switch (ta) {
    case 'N':
      return compareNumbers(a.N!, b.N!) === 0;
    case 'S':
    case 'B':
    case 'BOOL':
    case 'NULL':
      return a[ta] === b[ta];
    case 'SS':
    case 'BS':
      return sameSet(a[ta]!, b[ta]!, (x, y) => x === y);
    case 'NS':
      return sameSet(a.NS!, b.NS!, (x, y) => compareNumbers(x, y) === 0);
    case 'L':
      return a.L!.length === b.L!.length && a.L!.every((x, i) => valuesEqual(x, b.L![i]!));
    case 'M': {
      const ka = Object.keys(a.M!);
      const kb = Object.keys(b.M!);
      return ka.length === kb.length && ka.every((k) => k in b.M! && valuesEqual(a.M![k]!, b.M![k]!));
    }
  }
}

/** The size() function: characters, bytes, elements or entries. */
export function sizeOf(value: AttributeValue): number | undefined {
  const t = typeOf(value);
  if (t === 'S') return [...value.S!].length;
  if (t === 'B') return Buffer.from(value.B!, 'base64').length;
  if (t === 'SS' || t === 'NS' || t === 'BS' || t === 'L') return value[t]!.length;
  if (t === 'M') return Object.keys(value.M!).length;
  return undefined;
}

/**
 * A deep copy of JSON data (items, attribute values, key schemas): what structuredClone gives for
 * them, at a fraction of its cost (structuredClone serialises and deserialises; items are copied on
 * every read and write). An own `__proto__` key (a legal attribute name) stays an own property.
 */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clone(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = clone((value as Record<string, unknown>)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out as T;
}

/** Stored form: numbers canonicalised, so equality and keys do not depend on how the client spelled them. */
export function normalizeValue(value: AttributeValue): AttributeValue {
  const t = typeOf(value);
  if (t === 'N') return { N: normalizeNumber(value.N!) };
  if (t === 'NS') return { NS: value.NS!.map(normalizeNumber) };
  if (t === 'L') return { L: value.L!.map(normalizeValue) };
  if (t === 'M') return { M: normalizeItem(value.M!) };
  return clone(value);
}

export function normalizeItem(item: Item): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) out[k] = normalizeValue(v);
  return out;
}

// DynamoDB's attribute-value JSON <-> plain values, for the events functions (the bundles carry no
// @aws-sdk/util-dynamodb). Numbers come back as numbers; sets as arrays.
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { B: string };

export type Item = Record<string, AttributeValue>;

export function unmarshall(item: Item | undefined): Record<string, unknown> | undefined {
  if (!item) return undefined;
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, value(v)]));
}

function value(v: AttributeValue): unknown {
  if ('S' in v) return v.S;
  if ('N' in v) return Number(v.N);
  if ('BOOL' in v) return v.BOOL;
  if ('NULL' in v) return null;
  if ('M' in v) return unmarshall(v.M);
  if ('L' in v) return v.L.map(value);
  if ('SS' in v) return v.SS;
  if ('NS' in v) return v.NS.map(Number);
  return v.B;
}

export function marshall(obj: Record<string, unknown>): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(obj)) {
    const m = attribute(v);
    if (m) out[k] = m;
  }
  return out;
}

function attribute(v: unknown): AttributeValue | undefined {
  if (v === undefined) return undefined;
  if (v === null) return { NULL: true };
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (Array.isArray(v)) return { L: v.map((x) => attribute(x) ?? { NULL: true }) };
  if (typeof v === 'object') return { M: marshall(v as Record<string, unknown>) };
  return { S: String(v) };
}

/** The attribute every write carries: the region it was made in (global tables 2019.11.21 add none). */
export const ORIGIN = 'origin';
/** open: the trigger publishes the write; closed: it does not (a listener applying someone else's event). */
export const LATCH = 'latch';

// Narrowing values parsed from XML or JSON (unknown) to what a route reads, without `any`.

/** A plain JSON object, narrowed from unknown (for values parsed from XML or JSON). */
export function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A scalar as text, or undefined (objects and arrays are not scalars). */
export function text(v: unknown): string | undefined {
  return v === undefined || v === null || typeof v === 'object' ? undefined : String(v);
}

/** The value at a path (object members, list indexes) of a parsed input, or undefined where it stops. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

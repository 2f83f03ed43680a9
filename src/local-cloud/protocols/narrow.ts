// Narrowing values parsed from XML or JSON (unknown) to what a route reads, without `any`.

/** A plain JSON object, narrowed from unknown (for values parsed from XML or JSON). */
export function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A scalar as text, or undefined (objects and arrays are not scalars). */
export function text(v: unknown): string | undefined {
  return v === undefined || v === null || typeof v === 'object' ? undefined : String(v);
}

import type { StateStore } from './types.js';

// Keyed stores hold names that come from requests (regions, tables, log groups, keys). A plain
// object answers `constructor`, `toString` or `__proto__` from Object.prototype, and writing
// `store['__proto__'] = x` replaces its prototype, so one hostile name leaks into every object of
// the daemon. Stores are persisted as JSON, so they stay objects, but with a null prototype: then
// every name, `__proto__` included, is an ordinary own key.

/** An empty keyed store. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A null-prototype copy of `entries` (e.g. tags built from a list). */
export function dictFrom<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = dict<T>();
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** The own value under `key`, never one inherited from a prototype. */
export function own<T>(store: Record<string, T> | undefined, key: string): T | undefined {
  return store !== undefined && Object.hasOwn(store, key) ? store[key] : undefined;
}

/**
 * Re-parent every plain object under `value` onto null, in place. State read back from disk is
 * parsed JSON (ordinary objects); after this it behaves like state created with dict().
 */
export function nullPrototypes<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const proto = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null) continue; // Buffers, Dates, class instances
    if (proto !== null) Object.setPrototypeOf(node, null);
    for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key]);
  }
  return value;
}

const adopted = new WeakSet<object>();

/** `state.get(key, init)` whose documents are null-prototype all the way down (converted once per document). */
export function keyedState<T extends object>(state: StateStore, key: string, init: () => T): T {
  const doc = state.get(key, init);
  if (!adopted.has(doc)) {
    nullPrototypes(doc);
    adopted.add(doc);
  }
  return doc;
}

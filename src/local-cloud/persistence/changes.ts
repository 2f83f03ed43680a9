import { decode } from './encoding.js';

// What a commit writes: the current value at a path (put) or its absence (del). Paths come from
// the services' declarations (state.changed(key, ...path)), see ../state.ts and SPEC.md.

/** Path from the store root: [documentKey, childKey, ...]; array indices as decimal strings. */
export type Path = string[];

export type Change = { op: 'put'; path: Path; json: string } | { op: 'del'; path: Path };

export type Kind = 'o' | 'n' | 'm' | 'a' | 's';

/** The container kind of a state value, or undefined for a leaf (primitives, Dates, class instances). */
export function kindOf(value: unknown): Kind | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return 'a';
  if (value instanceof Map) return 'm';
  if (value instanceof Set) return 's';
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype) return 'o';
  if (proto === null) return 'n';
  return undefined;
}

/** The child of an object, null-prototype object or Map under key (undefined when absent). Arrays and Sets: undefined. */
export function childOf(container: unknown, key: string): unknown {
  const kind = kindOf(container);
  if (kind === 'm') return (container as Map<string, unknown>).get(key);
  if (kind === 'o' || kind === 'n') return Object.hasOwn(container as object, key) ? (container as Record<string, unknown>)[key] : undefined;
  if (kind === 'a') return (container as unknown[])[Number(key)];
  return undefined;
}

/**
 * Apply one logged change to the documents (replay). A put needs its parent to exist (else the
 * log is damaged: throws); a del of something already absent, or inside something absent, is a
 * no-op (deleting is idempotent, and a commit may delete a thing created and removed since the
 * last one).
 */
export function applyChange(docs: Map<string, unknown>, op: 'put' | 'del', path: Path, raw?: unknown): void {
  const [key, ...rest] = path;
  if (key === undefined) throw new Error('a logged change has an empty path');
  if (rest.length === 0) {
    if (op === 'put') docs.set(key, decode(raw));
    else docs.delete(key);
    return;
  }
  let parent: unknown = docs.get(key);
  for (let i = 0; i < rest.length - 1; i++) {
    parent = childOf(parent, rest[i]!);
    if (parent === undefined) {
      if (op === 'del') return;
      throw new Error(`a logged change refers to ${JSON.stringify(path.slice(0, i + 2))}, which does not exist`);
    }
  }
  const last = rest[rest.length - 1]!;
  if (parent === undefined && op === 'del') return;
  const kind = kindOf(parent);
  if (kind === undefined || kind === 's') throw new Error(`a logged change refers to ${JSON.stringify(path)} inside a value that is not a container`);
  if (op === 'put') setChild(parent as object, last, decode(raw));
  else deleteChild(parent as object, last);
}

function setChild(container: object, key: string, value: unknown): void {
  if (container instanceof Map) container.set(key, value);
  else if (Array.isArray(container)) container[Number(key)] = value;
  // defineProperty, not assignment: assigning to "__proto__" would replace the prototype.
  else Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

function deleteChild(container: object, key: string): void {
  if (container instanceof Map) container.delete(key);
  else if (Array.isArray(container)) throw new Error('a logged change deletes an array element (arrays are logged whole)');
  else delete (container as Record<string, unknown>)[key];
}

import { decode, encode } from './encoding.js';

// What changed in a state document since it was last logged, without a write barrier: services
// mutate their documents in place, so the store keeps a "shadow" of what the log holds (the JSON
// of every small subtree, and the shape of every big container) and compares against it.
// Containers bigger than SPLIT_BYTES are logged one child at a time, so putting one item into a
// table of 100k items logs one item, not the table. The comparison itself still visits the
// document (O(document size) CPU per commit); only the disk writes are O(change).

/** Path from the store root: [documentKey, childKey, ...]; array indices as decimal strings. */
export type Path = string[];

export type Change = { op: 'put'; path: Path; json: string } | { op: 'del'; path: Path };

type Kind = 'o' | 'n' | 'm' | 'a';
interface Leaf {
  json: string;
}
interface Branch {
  kind: Kind;
  children: Map<string, Shadow>;
  size: number;
}
export type Shadow = Leaf | Branch;

/** A container whose JSON exceeds this is logged per child... */
export const SPLIT_BYTES = 8192;
/** ...and whole again once it shrinks below this (hysteresis, so it does not flip every commit). */
const MERGE_BYTES = 2048;

const isLeaf = (node: Shadow): node is Leaf => 'json' in node;
const sizeOf = (node: Shadow): number => (isLeaf(node) ? node.json.length : node.size);

function kindOf(value: unknown): Kind | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return 'a';
  if (value instanceof Map) return 'm';
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype) return 'o';
  if (proto === null) return 'n';
  return undefined; // Sets, Dates, class instances: always stored whole
}

/**
 * Compare value with its shadow, append the changes that turn the logged state into value to
 * out (none when out is null: just build the shadow), and return the new shadow (undefined when
 * the value is one JSON leaves out, such as undefined). Never mutates old, so a failed write can
 * keep the previous shadows.
 */
export function diff(value: unknown, old: Shadow | undefined, path: Path, out: Change[] | null): Shadow | undefined {
  const kind = kindOf(value);
  if (kind && old && !isLeaf(old) && old.kind === kind) {
    const node = diffBranch(value, kind, old.children, path, out);
    if (node) return node;
  }
  const json = encode(value);
  if (json === undefined) return undefined;
  const unchanged = old !== undefined && isLeaf(old) && old.json === json;
  if (kind && json.length > SPLIT_BYTES) {
    const node = diffBranch(value, kind, undefined, path, null);
    if (node) {
      if (out && !unchanged) out.push({ op: 'put', path: path.slice(), json });
      return node;
    }
  }
  if (out && !unchanged) out.push({ op: 'put', path: path.slice(), json });
  return { json };
}

// undefined: this container cannot be split (a Map with a non-string key); store it whole.
function diffBranch(value: unknown, kind: Kind, oldChildren: Map<string, Shadow> | undefined, path: Path, out: Change[] | null): Shadow | undefined {
  const children = new Map<string, Shadow>();
  const childOut: Change[] | null = out ? [] : null;
  let size = 2;
  const visit = (key: string, child: unknown): void => {
    path.push(key);
    let node = diff(child, oldChildren?.get(key), path, childOut);
    path.pop();
    if (!node) {
      if (kind !== 'a') return;
      node = { json: 'null' }; // what JSON makes of a hole or undefined in an array
    }
    children.set(key, node);
    size += key.length + 4 + sizeOf(node);
  };
  if (kind === 'a') {
    const arr = value as unknown[];
    for (let i = 0; i < arr.length; i++) visit(String(i), arr[i]);
  } else if (kind === 'm') {
    for (const [k, v] of value as Map<unknown, unknown>) {
      if (typeof k !== 'string') return undefined;
      visit(k, v);
    }
  } else {
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) visit(k, obj[k]);
  }
  if (out && childOut) {
    let shrunk = false;
    const deletions: Change[] = [];
    for (const k of oldChildren?.keys() ?? []) {
      if (children.has(k)) continue;
      if (kind === 'a') shrunk = true;
      else {
        path.push(k);
        deletions.push({ op: 'del', path: path.slice() });
        path.pop();
      }
    }
    // An array that lost elements is logged whole: replaying index deletions would leave holes.
    if (shrunk) out.push({ op: 'put', path: path.slice(), json: encode(value)! });
    else out.push(...deletions, ...childOut);
  }
  if (size < MERGE_BYTES) return { json: encode(value)! };
  return { kind, children, size };
}

/** Build the shadow of a document the log already holds (after replay or a snapshot). */
export function shadowOf(value: unknown): Shadow | undefined {
  return diff(value, undefined, [], null);
}

/** Apply one logged change to the documents (replay). Throws when the path does not exist. */
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
    if (parent === undefined) throw new Error(`a logged change refers to ${JSON.stringify(path.slice(0, i + 2))}, which does not exist`);
  }
  const last = rest[rest.length - 1]!;
  if (parent === null || typeof parent !== 'object') throw new Error(`a logged change refers to ${JSON.stringify(path)} inside a value that is not a container`);
  if (op === 'put') setChild(parent, last, decode(raw));
  else deleteChild(parent, last);
}

function childOf(container: unknown, key: string): unknown {
  if (container === null || typeof container !== 'object') return undefined;
  if (container instanceof Map) return container.get(key);
  if (Array.isArray(container)) return container[Number(key)];
  return Object.hasOwn(container, key) ? (container as Record<string, unknown>)[key] : undefined;
}

function setChild(container: object, key: string, value: unknown): void {
  if (container instanceof Map) container.set(key, value);
  else if (Array.isArray(container)) container[Number(key)] = value;
  // defineProperty, not assignment: assigning to "__proto__" would replace the prototype.
  else Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

function deleteChild(container: object, key: string): void {
  if (container instanceof Map) container.delete(key);
  else if (Array.isArray(container)) throw new Error('a logged change deletes an array element (arrays are logged whole when they shrink)');
  else delete (container as Record<string, unknown>)[key];
}

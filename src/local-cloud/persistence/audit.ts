import { applyChange, kindOf, type Change, type Path } from './changes.js';
import { encode, parseEncoded } from './encoding.js';

// The safety net of the write barrier (tests, REGIONCTL_STATE_AUDIT=1): a replica of the state
// built only from what the log holds, compared with the live documents after every commit. A
// difference is a change no service declared: after a crash it would be lost (or the log would
// not replay). Costs O(state) per commit and a second copy of the state, so production runs
// without it.

/**
 * The first path where a and b differ as the log would store them, or undefined when they are
 * the same. Key order is not compared, nor whether an object has a prototype (services re-parent
 * what they load onto null, keyed.ts) (a replayed object may list keys in another order). A
 * missing member, an undefined one and a container of nothing but empty containers count as the same: services create
 * empty containers on read (`regions[r] ??= {}`), which needs no declaration (a later declared
 * change inside one logs the container whole, see ../state.ts).
 */
export function firstDifference(a: unknown, b: unknown, path: Path): Path | undefined {
  if (a === b) return undefined;
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === undefined || kb === undefined || ka === 's' || kb === 's') return encode(a) === encode(b) ? undefined : path;
  // Plain and null-prototype objects alike: services re-parent what they load (keyed.ts).
  const object = (k: string) => (k === 'n' ? 'o' : k);
  if (object(ka) !== object(kb)) return path;
  if (ka === 'a') {
    const xa = a as unknown[];
    const xb = b as unknown[];
    if (xa.length !== xb.length) return path;
    for (let i = 0; i < xa.length; i++) {
      // JSON turns an undefined element into null.
      const d = firstDifference(xa[i] ?? null, xb[i] ?? null, [...path, String(i)]);
      if (d) return d;
    }
    return undefined;
  }
  const ea = entries(a, ka);
  const eb = entries(b, kb);
  for (const [k, va] of ea) {
    const d = member(va, eb.get(k), [...path, k]);
    if (d) return d;
  }
  for (const [k, vb] of eb) if (!ea.has(k) && !isEmpty(vb)) return [...path, k];
  return undefined;
}

function member(a: unknown, b: unknown, path: Path): Path | undefined {
  if (isEmpty(a) && isEmpty(b)) return undefined;
  return firstDifference(a, b, path);
}

function entries(value: unknown, kind: string): Map<string, unknown> {
  if (kind === 'm') return value as Map<string, unknown>;
  const obj = value as Record<string, unknown>;
  const out = new Map<string, unknown>();
  for (const k of Object.keys(obj)) out.set(k, obj[k]);
  return out;
}

// Nothing but empty containers, e.g. `{ stacks: [] }` made by `regions[r] ??= { stacks: [] }`.
function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  const kind = kindOf(value);
  if (kind === 'a') return (value as unknown[]).length === 0;
  if (kind === 's') return (value as Set<unknown>).size === 0;
  if (kind === 'm') return [...(value as Map<unknown, unknown>).values()].every(isEmpty);
  if (kind === 'o' || kind === 'n') return Object.values(value as object).every(isEmpty);
  return false;
}

const clone = (value: unknown): unknown => parseEncoded(encode(value) ?? 'null');

/** The replica: replays each commit, then compares it with the documents the services hold. */
export class StateAudit {
  private readonly replica = new Map<string, unknown>();
  /** Changes found that nobody declared. */
  readonly failures: string[] = [];

  constructor(private readonly log: (line: string) => void) {}

  /** A document as loaded from disk at start: the replica's starting point. */
  load(key: string, doc: unknown): void {
    this.replica.set(key, clone(doc));
  }

  check(changes: readonly Change[], docs: ReadonlyMap<string, unknown>): void {
    for (const c of changes) {
      try {
        applyChange(this.replica, c.op, c.path, c.op === 'put' ? JSON.parse(c.json) : undefined);
      } catch (error) {
        this.fail(`${JSON.stringify(c.path)}: the log would not replay (${(error as Error).message})`);
      }
    }
    for (const key of new Set<string>([...docs.keys(), ...this.replica.keys()])) {
      const doc = docs.get(key);
      const where = firstDifference(doc ?? {}, this.replica.get(key) ?? {}, [key]);
      if (!where) continue;
      this.fail(`${JSON.stringify(where)} changed, but no service declared it`);
      if (doc === undefined) this.replica.delete(key);
      else this.replica.set(key, clone(doc));
    }
  }

  private fail(message: string): void {
    this.failures.push(message);
    this.log(`state audit: ${message}`);
  }
}

// JSON with three extra shapes, so services may keep Maps, Sets and null-prototype objects in
// their state documents (keyed stores must not inherit from Object.prototype) and get them back
// after a restart. Plain JSON.stringify would turn a Map into {} and a null-prototype object into
// an ordinary one, silently.
//
// A tagged value is an array whose first element is a tag string starting with NUL:
//   Map → ["\u0000m", [k, v], ...]   Set → ["\u0000s", v, ...]   null-prototype object → ["\u0000n", {...}]
// An ordinary array whose first element happens to start with NUL is escaped as ["\u0000a", ...items].
// Object keys never need escaping, so "__proto__" and "$ref" are stored as they are.

const MAP = '\u0000m';
const SET = '\u0000s';
const NULL_PROTO = '\u0000n';
const ARRAY = '\u0000a';

function needsArrayEscape(value: unknown[]): boolean {
  const first = value[0];
  return typeof first === 'string' && first.charCodeAt(0) === 0;
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  // The object inside a null-prototype wrapper comes back through here as element 1 of the wrapper.
  if (key === '1' && Array.isArray(this) && this.length === 2 && this[0] === NULL_PROTO && this[1] === value) return value;
  if (Array.isArray(value)) return needsArrayEscape(value) ? [ARRAY, ...value] : value;
  if (value instanceof Map) return [MAP, ...value];
  if (value instanceof Set) return [SET, ...value];
  if (Object.getPrototypeOf(value) === null) return [NULL_PROTO, value];
  return value;
}

/** The JSON text of a state value (undefined for values JSON drops: undefined, functions). */
export function encode(value: unknown): string | undefined {
  return JSON.stringify(value, replacer);
}

/** Turn parsed JSON back into the values encode() was given. Mutates and returns its argument. */
export function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const tag = needsArrayEscape(value) ? (value[0] as string) : undefined;
    if (tag === undefined) {
      for (let i = 0; i < value.length; i++) value[i] = decode(value[i]);
      return value;
    }
    const rest = value.slice(1);
    switch (tag) {
      case MAP:
        return new Map(rest.map((entry) => decode(entry) as [unknown, unknown]));
      case SET:
        return new Set(rest.map(decode));
      case NULL_PROTO: {
        const obj = Object.create(null) as Record<string, unknown>;
        for (const [k, v] of Object.entries(rest[0] as object)) obj[k] = decode(v);
        return obj;
      }
      case ARRAY:
        return rest.map(decode);
      default:
        throw new Error(`unknown tag ${JSON.stringify(tag)} in stored state`);
    }
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    const d = decode(v);
    // defineProperty, not assignment: assigning to "__proto__" would replace the prototype.
    if (d !== v) Object.defineProperty(obj, k, { value: d, writable: true, enumerable: true, configurable: true });
  }
  return obj;
}

/** Parse JSON text written by encode(). */
export function parseEncoded(text: string): unknown {
  return decode(JSON.parse(text));
}

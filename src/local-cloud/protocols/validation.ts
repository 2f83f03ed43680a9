// Per-operation input validation at the wire boundary (dynalite's validations/ idea, with zod):
// each operation declares its members' constraints once, with AWS's own constraint wording, and
// a request that breaks any of them is refused before the domain runs, every broken constraint
// listed as AWS lists them: "2 validation errors detected: Value 'x' at 'tableName' failed to
// satisfy constraint: Member must have length greater than or equal to 3; Value …".
import { z } from 'zod';
import { validation } from '../aws-error.js';
import { valueAt } from './narrow.js';

// ---- members with AWS's constraint texts -------------------------------------------------------

const NOT_NULL = 'Member must not be null';

/** A string member: pattern first, then length, in the order AWS reports them. */
export function awsString(c: { pattern?: [RegExp, string]; min?: number; max?: number } = {}) {
  let s = z.string({ error: NOT_NULL });
  if (c.pattern) s = s.regex(c.pattern[0], `Member must satisfy regular expression pattern: ${c.pattern[1]}`);
  if (c.min !== undefined) s = s.min(c.min, `Member must have length greater than or equal to ${c.min}`);
  if (c.max !== undefined) s = s.max(c.max, `Member must have length less than or equal to ${c.max}`);
  return s;
}

/** An integer member within [min, max]. */
export function awsInteger(c: { min?: number; max?: number } = {}) {
  let n = z.number({ error: NOT_NULL });
  if (c.min !== undefined) n = n.min(c.min, `Member must have value greater than or equal to ${c.min}`);
  if (c.max !== undefined) n = n.max(c.max, `Member must have value less than or equal to ${c.max}`);
  return n;
}

/** An enum member: AWS lists the allowed values in its own order. */
export function awsEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `Member must satisfy enum value set: [${values.join(', ')}]` });
}

/** A structure or map that must be present (AWS: "Member must not be null"). */
export const awsRequired = () => z.custom<object>((v) => v !== undefined && v !== null, { error: NOT_NULL });

/** An operation's input: the members it constrains; members it does not name pass through untouched. */
export const awsInput = <S extends z.ZodRawShape>(shape: S) => z.looseObject(shape);

/** A list member (JSON) whose elements follow `item`. */
export const awsList = <T extends z.ZodType>(item: T, c: { min?: number; max?: number } = {}) => {
  let l = z.array(item, { error: NOT_NULL });
  if (c.min !== undefined) l = l.min(c.min, `Member must have length greater than or equal to ${c.min}`);
  if (c.max !== undefined) l = l.max(c.max, `Member must have length less than or equal to ${c.max}`);
  return l;
};

// ---- awsQuery leaves: every value arrives as text ------------------------------------------------

const fromText = (parse: (text: string) => unknown) => (v: unknown) => (typeof v === 'string' ? parse(v) : v);

/** An integer member sent as text (awsQuery); a non-number fails like a missing one. */
export const queryInteger = (c: { min?: number; max?: number } = {}) =>
  z.preprocess(fromText((t) => (/^-?\d+$/.test(t.trim()) ? Number(t) : undefined)), awsInteger(c));

/** A boolean member sent as text (awsQuery: "true" / "false"). */
export const queryBoolean = () =>
  z.preprocess(fromText((t) => (t === 'true' ? true : t === 'false' ? false : t)), z.boolean({ error: NOT_NULL }));

/** A list member (awsQuery): Name.member.N, or "Name=" for an empty list. */
export const queryList = <T extends z.ZodType>(item: T, c: { min?: number; max?: number } = {}) =>
  z.preprocess(fromText((t) => (t === '' ? [] : t)), awsList(item, c));

// ---- binding ---------------------------------------------------------------------------------------

/**
 * An operation bound to its input schema: the protocol's unchecked input is parsed first (refused
 * with every broken constraint, under `code`), and the operation sees the parsed, typed value.
 */
export function withInput<S extends z.ZodType, Rest extends unknown[], R>(
  schema: S,
  op: (input: z.output<S>, ...rest: Rest) => R,
  code = 'ValidationException',
): (input: unknown, ...rest: Rest) => R {
  return (input, ...rest) => op(validateInput(schema, input, code), ...rest);
}

// ---- rendering -----------------------------------------------------------------------------------

// AWS names members camelCase and list elements 1-based: keySchema.1.member.keyType.
function memberPath(path: PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `${p + 1}.member` : String(p).charAt(0).toLowerCase() + String(p).slice(1)))
    .join('.');
}

// Value 'x' for scalars, Value null when absent, as AWS prints them.
function shown(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  return `'${typeof v === 'object' ? JSON.stringify(v) : String(v)}'`;
}

/** The input, checked against the operation's schema; a ValidationException listing every broken constraint otherwise. */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown, code = 'ValidationException'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // A constraint on a list's scalar elements is reported at the list, as AWS does: "Value '[A, B]' at
  // 'stackStatusFilter' failed to satisfy constraint: Member must satisfy constraint: [Member must …]".
  const messages = [
    ...new Set(
      result.error.issues.map((issue) => {
        const path = issue.path;
        if (typeof path.at(-1) === 'number' && path.length > 1) {
          const list = valueAt(input, path.slice(0, -1));
          const value = Array.isArray(list) ? `'[${list.map(String).join(', ')}]'` : shown(list);
          return `Value ${value} at '${memberPath(path.slice(0, -1))}' failed to satisfy constraint: Member must satisfy constraint: [${issue.message}]`;
        }
        return `Value ${shown(valueAt(input, path))} at '${memberPath(path)}' failed to satisfy constraint: ${issue.message}`;
      }),
    ),
  ];
  const n = messages.length;
  throw validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${messages.join('; ')}`, code);
}

/** JSON-protocol operations, each behind its validation (operations without one pass as they are). */
export function validatedOps<Op extends (input: never, ...rest: never[]) => unknown>(ops: Record<string, Op>, schemas: Record<string, z.ZodType>): Record<string, Op> {
  const out: Record<string, Op> = {};
  for (const [name, op] of Object.entries(ops)) {
    const schema = Object.hasOwn(schemas, name) ? schemas[name] : undefined;
    out[name] = schema ? (((input: unknown, ...rest: never[]) => op(validateInput(schema, input) as never, ...rest)) as unknown as Op) : op;
  }
  return out;
}

// Property types of CloudFormation registry resource schemas, for defineResource
// (cloudformation/resource-properties.ts). CloudFormation converts scalar values for registry types
// before validating them: a String property accepts a number or boolean (written as text), an
// Integer or Number property accepts a numeric string ("60"), a Boolean property accepts "true" or
// "false" (template parameters always resolve to strings). Nothing else is converted: an array or
// object where a scalar is expected fails, as does "yes" for a Boolean.
// https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html
import { z } from 'zod';

const toText = (v: unknown): unknown => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
const toNumber = (v: unknown): unknown => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);
const toBoolean = (v: unknown): unknown => (v === 'true' ? true : v === 'false' ? false : v);

/** A String property. */
export const cfnString = () => z.preprocess(toText, z.string());

/** An Integer property, optionally within [min, max] (the schema's minimum / maximum). */
export function cfnInteger(range: { min?: number; max?: number } = {}) {
  let n = z.int();
  if (range.min !== undefined) n = n.min(range.min, `failed validation constraint for keyword [minimum]`);
  if (range.max !== undefined) n = n.max(range.max, `failed validation constraint for keyword [maximum]`);
  return z.preprocess(toNumber, n);
}

/** A Number property (integer or decimal). */
export const cfnNumber = () => z.preprocess(toNumber, z.number());

/** A Boolean property. */
export const cfnBoolean = () => z.preprocess(toBoolean, z.boolean());

/** A String property with an enum constraint, failing in the registry's words. */
export const cfnEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(toText, z.string().pipe(z.enum(values, { error: 'failed validation constraint for keyword [enum]' })));

// A JSON text where an object is expected is read as the object it spells.
function parsedJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/** An object with any member names, each of the given type (a JSON object for the validator, never a record). */
export const cfnMap = <T extends z.ZodType>(value: T) => z.object({}).catchall(value);

/** A property of type Json: an object, or (as CloudFormation also accepts) its JSON text. */
export const cfnJson = () => z.preprocess(parsedJson, cfnMap(z.unknown()));

/**
 * A structured property the local cloud accepts and ignores: its type is checked (an object, an
 * array), its members are not.
 */
export const cfnIgnoredObject = () => cfnMap(z.unknown());
export const cfnIgnoredList = () => z.array(z.unknown());

/** A list of String. */
export const cfnStrings = () => z.array(cfnString());

/** Tags: [{Key, Value}] (the common shape of most types' Tags property). */
export const cfnTags = () => z.array(z.strictObject({ Key: cfnString(), Value: cfnString() }));

/** A property the local cloud accepts and does not act on; declared so that its name is known. */
export const ignored = () => z.unknown().optional();

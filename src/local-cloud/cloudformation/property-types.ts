// Property types for resource schemas (defineResource), with CloudFormation's scalar coercion: a
// template's scalars reach a resource type's handler converted to the type its schema declares
// ("80" for a String written as 80, true for a Boolean written "true"), because YAML/JSON
// templates and parameters carry text; a value of the wrong shape (a list for a String, an object
// for an Integer) fails validation. https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html
import { z } from 'zod';

const scalarText = (v: unknown): unknown => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
const numberFromText = (v: unknown): unknown => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
const booleanFromText = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  const t = v.toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : v;
};

/** A String property: numbers and booleans become their text. */
export const cfnString = () => z.preprocess(scalarText, z.string());

/** An Integer property: numeric text becomes the number. */
export const cfnInteger = () => z.preprocess(numberFromText, z.number().int());

/** A Boolean property: "true" / "false" (any case) become booleans. */
export const cfnBoolean = () => z.preprocess(booleanFromText, z.boolean());

/** A list of Strings. */
export const cfnStrings = () => z.array(cfnString());

/** A Json property (policy documents, event patterns): an object, or its JSON text. */
export const cfnJson = () => z.union([z.record(z.string(), z.unknown()), z.string()]);

/** The common Tags property: a list of {Key, Value}. */
export const cfnTags = () => z.array(z.strictObject({ Key: cfnString(), Value: cfnString() }));

/** A property the local cloud accepts and does not act on; declared so that its name is known. */
export const ignored = () => z.unknown().optional();

// Typed resource providers. A resource type declares its properties once, as a zod schema with the
// type's full property set (AWS's resource schema, including properties the local cloud accepts and
// ignores), and CloudFormation validates them before create and update, failing the resource the way
// registry-backed types fail on AWS:
//   "Properties validation failed for resource Bucket with message: #/BucketName: expected type:
//    String, found: JSONArray #: extraneous key [Foo] is not permitted"
// (seen in CloudFormation's stack events; the schema language is the CloudFormation registry's:
// https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html).
// The provider then receives typed properties; the erased ResourceProvider is what the runner holds.
import type { z } from 'zod';
import { valueAt } from '../protocols/narrow.js';
import type { ResourceContext, ResourceProps, ResourceProvider, ResourceResult } from '../types.js';

export interface TypedResource<P> {
  type: string;
  /** The type's properties; a failed parse fails the resource with CloudFormation's message. */
  properties: z.ZodType<P>;
  /** Property names whose change forces replacement (create new, then delete old). */
  replaceOn?: string[];
  create(ctx: ResourceContext, props: P): Promise<ResourceResult>;
  /** In-place update. Absent: every property change replaces the resource. */
  update?(ctx: ResourceContext, physicalId: string, props: P, oldProps: P): Promise<ResourceResult>;
  delete(ctx: ResourceContext, physicalId: string, props: P): Promise<void>;
}

// JSON Schema's type names, as CloudFormation's validator reports what it found.
function foundType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'JSONArray';
  if (typeof v === 'object') return 'JSONObject';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'BigDecimal';
  if (typeof v === 'boolean') return 'Boolean';
  return 'String';
}

const pointer = (path: readonly PropertyKey[]): string => ['#', ...path.map(String)].join('/');

/** One zod issue in CloudFormation's words. */
function describe(issue: z.core.$ZodIssue, input: unknown): string[] {
  const at = pointer(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => `${at}: extraneous key [${k}] is not permitted`);
    case 'invalid_type': {
      const v = valueAt(input, issue.path);
      if (v === undefined) return [`${pointer(issue.path.slice(0, -1))}: required key [${String(issue.path.at(-1))}] not found`];
      const expected = { string: 'String', number: 'Number', int: 'Integer', boolean: 'Boolean', array: 'JSONArray', object: 'JSONObject', record: 'JSONObject' }[issue.expected as string] ?? issue.expected;
      return [`${at}: expected type: ${expected}, found: ${foundType(v)}`];
    }
    case 'invalid_union': {
      // Json properties (object or its text) and the like: absent is a missing key; otherwise the
      // first alternative's complaint (e.g. "expected type: JSONObject, found: Integer").
      if (valueAt(input, issue.path) === undefined) return [`${pointer(issue.path.slice(0, -1))}: required key [${String(issue.path.at(-1))}] not found`];
      const first = issue.errors[0]?.[0];
      return first ? describe({ ...first, path: [...issue.path, ...first.path] }, input) : [`${at}: ${issue.message}`];
    }
    case 'invalid_value':
      // The registry names the broken keyword and no longer echoes the value:
      // "#/Status: failed validation constraint for keyword [enum]".
      return [`${at}: failed validation constraint for keyword [enum]`];
    default:
      return [`${at}: ${issue.message}`];
  }
}

/** The properties, parsed by the type's schema; CloudFormation's validation failure otherwise. */
export function validateProperties<P>(schema: z.ZodType<P>, ctx: Pick<ResourceContext, 'logicalId'>, props: ResourceProps): P {
  const result = schema.safeParse(props);
  if (result.success) return result.data;
  const messages = result.error.issues.flatMap((issue) => describe(issue, props));
  throw new Error(`Properties validation failed for resource ${ctx.logicalId} with message: ${messages.join(' ')}`);
}

/** Erases a typed provider into the runner's ResourceProvider, validating properties on create and update. */
export function defineResource<P>(r: TypedResource<P>): ResourceProvider {
  // Stored properties passed validation when they were applied; delete and oldProps re-read them
  // without failing on a schema that has since grown stricter.
  const stored = (props: ResourceProps): P => {
    const parsed = r.properties.safeParse(props);
    return parsed.success ? parsed.data : (props as P);
  };
  const update = r.update;
  return {
    type: r.type,
    replaceOn: r.replaceOn,
    create: async (ctx, props) => r.create(ctx, validateProperties(r.properties, ctx, props)),
    update: update && (async (ctx, physicalId, props, oldProps) => update.call(r, ctx, physicalId, validateProperties(r.properties, ctx, props), stored(oldProps))),
    delete: async (ctx, physicalId, props) => r.delete(ctx, physicalId, stored(props)),
  };
}

// SNS subscription filter policies: validation and matching, for the MessageAttributes scope
// (top-level keys are attribute names) and the MessageBody scope (keys follow the JSON body).
// https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
import { AwsError } from '../aws-error.js';

export type Scope = 'MessageAttributes' | 'MessageBody';

const invalid = (why: string) => new AwsError('InvalidParameter', `Invalid parameter: FilterPolicy: ${why}`);
const OPERATORS = new Set(['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case']);

/** Parse and check a filter policy; returns the parsed object. */
export function parseFilterPolicy(text: string, scope: Scope): Record<string, unknown> {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw invalid('failed to parse JSON');
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw invalid('the policy must be a JSON object');
  let combinations = 1;
  const walk = (node: Record<string, unknown>, depth: number, path: string): void => {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$or') {
        if (!Array.isArray(value) || value.length < 2) throw invalid('$or must be a list of at least two objects');
        for (const branch of value) {
          if (typeof branch !== 'object' || branch === null || Array.isArray(branch)) throw invalid('$or must be a list of objects');
          walk(branch as Record<string, unknown>, depth, path);
        }
        continue;
      }
      if (Array.isArray(value)) {
        if (value.length === 0) throw invalid(`Empty arrays are not allowed (key ${path}${key})`);
        value.forEach((rule) => checkRule(rule, `${path}${key}`));
        combinations *= value.length;
      } else if (typeof value === 'object' && value !== null) {
        if (scope === 'MessageAttributes') throw invalid(`"${key}" must be an object or an array: nested keys are allowed only with FilterPolicyScope MessageBody`);
        walk(value as Record<string, unknown>, depth + 1, `${path}${key}.`);
      } else {
        throw invalid(`"${path}${key}" must be an object or an array`);
      }
    }
  };
  walk(policy as Record<string, unknown>, 1, '');
  const keys = countLeafKeys(policy as Record<string, unknown>);
  if (keys > 5) throw invalid('Filter policy can not have more than 5 keys');
  if (combinations > 150) throw invalid(`Filter policy is too complex (${combinations} combinations, the limit is 150)`);
  return policy as Record<string, unknown>;
}

function countLeafKeys(node: Record<string, unknown>): number {
  let n = 0;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or') n = Math.max(n, ...(value as Record<string, unknown>[]).map(countLeafKeys));
    else if (Array.isArray(value)) n += 1;
    else n += countLeafKeys(value as Record<string, unknown>);
  }
  return n;
}

function checkRule(rule: unknown, key: string): void {
  if (rule === null || typeof rule === 'string' || typeof rule === 'number' || typeof rule === 'boolean') return;
  if (typeof rule !== 'object' || Array.isArray(rule)) throw invalid(`Match value must be String, number, true, false, or null (key ${key})`);
  const ops = Object.keys(rule);
  if (ops.length !== 1 || !OPERATORS.has(ops[0]!)) throw invalid(`Unrecognized match type ${ops.join(',')} (key ${key})`);
  const op = ops[0]!;
  const arg = (rule as Record<string, unknown>)[op];
  if (op === 'numeric') {
    if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) throw invalid(`Value of numeric must be an array of operator, number pairs (key ${key})`);
    for (let i = 0; i < arg.length; i += 2)
      if (!['=', '<', '<=', '>', '>='].includes(arg[i] as string) || typeof arg[i + 1] !== 'number') throw invalid(`Unrecognized numeric range operator or value (key ${key})`);
  } else if (op === 'exists') {
    if (typeof arg !== 'boolean') throw invalid(`exists match pattern must be either true or false (key ${key})`);
  } else if (op === 'anything-but') {
    const ok = typeof arg === 'string' || typeof arg === 'number' || (Array.isArray(arg) && arg.every((a) => typeof a === 'string' || typeof a === 'number')) || (typeof arg === 'object' && arg !== null && typeof (arg as { prefix?: unknown }).prefix === 'string');
    if (!ok) throw invalid(`Value of anything-but must be a string, number, list of them, or {"prefix": string} (key ${key})`);
  } else if (typeof arg !== 'string') {
    throw invalid(`Value of ${op} must be a string (key ${key})`);
  }
}

/** A message attribute as Publish takes it. */
export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** The values an attribute offers to a filter: a String.Array offers each element. */
function attributeValues(attr: MessageAttribute): unknown[] | undefined {
  if (attr.DataType.startsWith('Binary')) return undefined; // binary attributes never match
  if (attr.DataType.startsWith('Number')) return [Number(attr.StringValue)];
  if (attr.DataType === 'String.Array') {
    try {
      const list = JSON.parse(attr.StringValue ?? '');
      return Array.isArray(list) ? list : undefined;
    } catch {
      return undefined;
    }
  }
  return [attr.StringValue ?? ''];
}

function ruleMatches(rule: unknown, value: unknown): boolean {
  if (rule === null || typeof rule !== 'object') {
    if (typeof rule === 'number') return typeof value === 'number' ? value === rule : Number(value) === rule && value !== '';
    return value === rule;
  }
  const [op, arg] = Object.entries(rule as Record<string, unknown>)[0]!;
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(arg as string);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(arg as string);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (arg as string).toLowerCase();
    case 'anything-but': {
      if (typeof arg === 'object' && arg !== null && !Array.isArray(arg)) return typeof value === 'string' && !value.startsWith((arg as { prefix: string }).prefix);
      const list = Array.isArray(arg) ? arg : [arg];
      return !list.some((a) => a === value || (typeof a === 'number' && Number(value) === a));
    }
    case 'numeric': {
      const n = typeof value === 'number' ? value : Number.NaN;
      if (Number.isNaN(n)) return false;
      const pairs = arg as unknown[];
      for (let i = 0; i < pairs.length; i += 2) {
        const bound = pairs[i + 1] as number;
        const ok = { '=': n === bound, '<': n < bound, '<=': n <= bound, '>': n > bound, '>=': n >= bound }[pairs[i] as string];
        if (!ok) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** One key's rules against the values present (undefined: the key is absent). */
function keyMatches(rules: unknown[], values: unknown[] | undefined): boolean {
  return rules.some((rule) => {
    if (typeof rule === 'object' && rule !== null && 'exists' in rule) return (rule as { exists: boolean }).exists === (values !== undefined);
    if (values === undefined) return false;
    return values.some((v) => ruleMatches(rule, v));
  });
}

function matchObject(policy: Record<string, unknown>, lookup: (key: string) => unknown[] | undefined, nested: (key: string) => unknown): boolean {
  for (const [key, rules] of Object.entries(policy)) {
    if (key === '$or') {
      if (!(rules as Record<string, unknown>[]).some((branch) => matchObject(branch, lookup, nested))) return false;
      continue;
    }
    if (Array.isArray(rules)) {
      if (!keyMatches(rules, lookup(key))) return false;
    } else {
      const child = nested(key);
      if (typeof child !== 'object' || child === null || Array.isArray(child)) {
        if (!matchObject(rules as Record<string, unknown>, () => undefined, () => undefined)) return false;
      } else if (!matchBody(rules as Record<string, unknown>, child as Record<string, unknown>)) return false;
    }
  }
  return true;
}

function matchBody(policy: Record<string, unknown>, body: Record<string, unknown>): boolean {
  return matchObject(
    policy,
    (key) => (Object.hasOwn(body, key) ? (Array.isArray(body[key]) ? (body[key] as unknown[]) : [body[key]]) : undefined),
    (key) => (Object.hasOwn(body, key) ? body[key] : undefined),
  );
}

/** Whether a message passes a subscription's filter policy. */
export function filterMatches(policy: Record<string, unknown>, scope: Scope, message: string, attributes: Record<string, MessageAttribute>): boolean {
  if (scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message);
    } catch {
      return false; // a body that is not a JSON object matches no MessageBody policy
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
    return matchBody(policy, body as Record<string, unknown>);
  }
  return matchObject(
    policy,
    (key) => (Object.hasOwn(attributes, key) ? attributeValues(attributes[key]!) : undefined),
    () => undefined,
  );
}

// Resolves CloudFormation intrinsic functions against a stack's parameters, conditions and
// created resources. Everything a provider sees has passed through here.

import type { Template } from './model.js';

/** Marker for `Ref: AWS::NoValue`: the surrounding property or list element disappears. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Stands in for a value that only exists once a resource is created (change-set previews). */
export const UNRESOLVED_PREFIX = '{{unresolved:';

export class TemplateError extends Error {}

export interface CreatedResource {
  physicalId?: string;
  attributes: Record<string, unknown>;
}

export interface ResolveEnv {
  template: Template;
  region: string;
  accountId: string;
  stackName: string;
  stackId: string;
  /** Parameter values; list-typed parameters are arrays. */
  params: Record<string, string | string[]>;
  /** Looks up a created resource; undefined means "not created (yet)". */
  resource(logicalId: string): CreatedResource | undefined;
  importValue(name: string): string | undefined;
  /** When true, references to resources that do not exist yet become placeholders instead of errors. */
  preview?: boolean;
}

export function pseudoParameters(env: Pick<ResolveEnv, 'region' | 'accountId' | 'stackName' | 'stackId'>): Record<string, string | string[] | typeof NO_VALUE> {
  const partition = env.region.startsWith('cn-') ? 'aws-cn' : env.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return {
    'AWS::Region': env.region,
    'AWS::AccountId': env.accountId,
    'AWS::StackName': env.stackName,
    'AWS::StackId': env.stackId,
    'AWS::Partition': partition,
    'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    'AWS::NotificationARNs': [],
    'AWS::NoValue': NO_VALUE,
  };
}

export const PSEUDO_NAMES = new Set(Object.keys(pseudoParameters({ region: 'x', accountId: '', stackName: '', stackId: '' })));

// Conditions may reference each other; evaluated once each, with cycle protection.
export function evaluateConditions(env: ResolveEnv): Record<string, boolean> {
  const declared: Record<string, unknown> = env.template.Conditions ?? {};
  const result: Record<string, boolean> = {};
  const visiting = new Set<string>();
  const resolver = new Resolver(env, {});
  const evaluate = (name: string): boolean => {
    if (Object.hasOwn(result, name)) return result[name];
    if (!Object.hasOwn(declared, name)) throw new TemplateError(`Template format error: Unresolved dependencies [${name}]. Cannot reference resources in the Conditions block of the template`);
    if (visiting.has(name)) throw new TemplateError(`Template format error: Circular dependency between conditions: [${name}]`);
    visiting.add(name);
    const value = resolver.resolve(declared[name]);
    if (typeof value !== 'boolean') throw new TemplateError(`Template format error: Condition ${name} must evaluate to a boolean`);
    result[name] = value;
    return value;
  };
  resolver.conditionLookup = evaluate;
  for (const name of Object.keys(declared)) evaluate(name);
  return result;
}

export class Resolver {
  private readonly pseudo: ReturnType<typeof pseudoParameters>;
  conditionLookup: (name: string) => boolean;

  constructor(
    private readonly env: ResolveEnv,
    conditions: Record<string, boolean>,
  ) {
    this.pseudo = pseudoParameters(env);
    this.conditionLookup = (name) => {
      if (!Object.hasOwn(conditions, name)) throw new TemplateError(`Template format error: Unresolved dependencies [${name}]. Cannot reference resources in the Conditions block of the template`);
      return conditions[name];
    };
  }

  /** A resource's Properties, resolved: always an object (a template's Properties is one). */
  resolveProperties(properties: Record<string, unknown> | undefined): Record<string, unknown> {
    const resolved = this.resolve(properties ?? {});
    return resolved !== null && typeof resolved === 'object' && !Array.isArray(resolved) ? (resolved as Record<string, unknown>) : {};
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      const key = keys[0];
      const arg = (value as Record<string, unknown>)[key];
      if (key === 'Condition' && typeof arg === 'string') return this.conditionLookup(arg);
      if (key !== 'Condition') return this.call(key, arg);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.resolve(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  private call(fn: string, arg: unknown): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(String(this.resolve(arg)));
      case 'Fn::GetAtt': {
        const parts = typeof arg === 'string' ? splitOnce(arg, '.') : this.resolve(arg);
        if (!Array.isArray(parts) || parts.length !== 2) throw new TemplateError('Template error: every Fn::GetAtt object requires two non-empty parameters');
        return this.getAtt(String(parts[0]), String(parts[1]));
      }
      case 'Fn::Sub':
        return this.sub(arg);
      case 'Fn::Join': {
        const [delimiter, list] = this.args(fn, arg, 2);
        const items = this.resolve(list);
        if (!Array.isArray(items)) throw new TemplateError('Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.');
        return items.map((i) => String(i)).join(String(this.resolve(delimiter)));
      }
      case 'Fn::Select': {
        const [index, list] = this.args(fn, arg, 2);
        const items = this.resolve(list);
        const i = Number(this.resolve(index));
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
          throw new TemplateError('Template error: Fn::Select cannot select nonexistent value at index ' + String(index));
        }
        return items[i];
      }
      case 'Fn::Split': {
        const [delimiter, source] = this.args(fn, arg, 2);
        return String(this.resolve(source)).split(String(this.resolve(delimiter)));
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.args(fn, arg, 3);
        return this.conditionLookup(String(condition)) ? this.resolve(whenTrue) : this.resolve(whenFalse);
      }
      case 'Fn::Equals': {
        const [a, b] = this.args(fn, arg, 2).map((v) => this.resolve(v));
        return JSON.stringify(scalarText(a)) === JSON.stringify(scalarText(b));
      }
      case 'Fn::Not': {
        const [c] = this.args(fn, arg, 1);
        return !this.bool(c);
      }
      case 'Fn::And':
        return this.list(fn, arg).every((c) => this.bool(c));
      case 'Fn::Or':
        return this.list(fn, arg).some((c) => this.bool(c));
      case 'Fn::FindInMap': {
        const [map, top, second] = this.args(fn, arg, 3).map((v) => String(this.resolve(v)));
        const value = this.env.template.Mappings?.[map]?.[top]?.[second];
        if (value === undefined) throw new TemplateError(`Template error: Unable to get mapping for ${map}::${top}::${second}`);
        return value;
      }
      case 'Fn::Base64':
        return Buffer.from(String(this.resolve(arg)), 'utf8').toString('base64');
      case 'Fn::GetAZs': {
        const region = String(this.resolve(arg) || this.env.region);
        return ['a', 'b', 'c'].map((z) => `${region}${z}`);
      }
      case 'Fn::ImportValue': {
        const name = String(this.resolve(arg));
        const value = this.env.importValue(name);
        if (value === undefined) {
          if (this.env.preview) return `${UNRESOLVED_PREFIX}import:${name}}}`;
          throw new TemplateError(`No export named ${name} found.`);
        }
        return value;
      }
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(arg));
      case 'Fn::Length': {
        const items = this.resolve(arg);
        return Array.isArray(items) ? items.length : 0;
      }
      default:
        throw new TemplateError(`Template format error: Unrecognized intrinsic function ${fn} in the local cloud`);
    }
  }

  private ref(name: string): unknown {
    if (Object.hasOwn(this.pseudo, name)) return this.pseudo[name];
    if (Object.hasOwn(this.env.params, name)) return this.env.params[name];
    const created = this.env.resource(name);
    if (created?.physicalId !== undefined) return created.physicalId;
    if (this.env.preview) return `${UNRESOLVED_PREFIX}${name}}}`;
    throw new TemplateError(`Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`);
  }

  private getAtt(logicalId: string, attribute: string): unknown {
    const created = this.env.resource(logicalId);
    if (!created || created.physicalId === undefined) {
      if (this.env.preview) return `${UNRESOLVED_PREFIX}${logicalId}.${attribute}}}`;
      throw new TemplateError(`Template format error: Unresolved resource dependencies [${logicalId}] in the Resources block of the template`);
    }
    if (!Object.hasOwn(created.attributes, attribute)) {
      const type = this.env.template.Resources?.[logicalId]?.Type ?? 'unknown';
      throw new TemplateError(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt (type ${type} in the local cloud)`);
    }
    return created.attributes[attribute];
  }

  // ${Name} is a Ref, ${Name.Attr} a GetAtt, ${!Literal} the literal text "${Literal}".
  private sub(arg: unknown): string {
    let text: string;
    let vars: Record<string, unknown> = {};
    if (typeof arg === 'string') text = arg;
    else if (Array.isArray(arg) && typeof arg[0] === 'string') {
      text = arg[0];
      vars = (this.resolve(arg[1] ?? {}) as Record<string, unknown>) ?? {};
    } else throw new TemplateError('Template error: One or more Fn::Sub intrinsic functions don\'t specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string');
    return text.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
      if (inner.startsWith('!')) return '${' + inner.slice(1) + '}';
      const name = inner.trim();
      if (Object.hasOwn(vars, name)) return String(scalarText(vars[name]));
      if (Object.hasOwn(this.pseudo, name) || Object.hasOwn(this.env.params, name)) return String(scalarText(this.ref(name)));
      const dot = name.indexOf('.');
      if (dot > 0) return String(scalarText(this.getAtt(name.slice(0, dot), name.slice(dot + 1))));
      return String(scalarText(this.ref(name)));
    });
  }

  private bool(condition: unknown): boolean {
    const value = this.resolve(condition);
    if (typeof value !== 'boolean') throw new TemplateError('Template error: condition functions must evaluate to a boolean');
    return value;
  }

  private args(fn: string, arg: unknown, count: number): unknown[] {
    if (!Array.isArray(arg) || arg.length < count) {
      throw new TemplateError(`Template error: every ${fn} object requires ${count} parameters`);
    }
    return arg;
  }

  private list(fn: string, arg: unknown): unknown[] {
    if (!Array.isArray(arg) || arg.length < 1) throw new TemplateError(`Template error: ${fn} requires a list of conditions`);
    return arg;
  }
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

// CloudFormation compares and substitutes values as text: 1 and "1" are equal.
function scalarText(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.join(',');
  return value;
}

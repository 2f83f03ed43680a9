// Parameter values: defaults, UsePreviousValue, type and constraint checks, NoEcho masking.

import type { ParameterDecl, Template } from './model.js';
import { validationError } from './template.js';

export interface ParameterInput {
  ParameterKey: string;
  ParameterValue?: string;
  UsePreviousValue?: boolean;
}

/** Resolve the values a stack operation runs with (every value kept as text, lists comma-joined). */
export function resolveParameters(
  template: Template,
  given: ParameterInput[],
  previous: Record<string, string> = {},
): Record<string, string> {
  const decls: Record<string, ParameterDecl> = template.Parameters ?? {};
  const unknown = given.map((p) => p.ParameterKey).filter((k) => !Object.hasOwn(decls, k));
  if (unknown.length > 0) throw validationError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [key, decl] of Object.entries(decls)) {
    const input = given.find((p) => p.ParameterKey === key);
    let value: string | undefined;
    if (input?.UsePreviousValue) {
      if (!Object.hasOwn(previous, key)) throw validationError(`Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      value = previous[key];
    } else if (input?.ParameterValue !== undefined) value = input.ParameterValue;
    else if (decl.Default !== undefined) value = Array.isArray(decl.Default) ? decl.Default.join(',') : String(decl.Default);
    if (value === undefined) {
      missing.push(key);
      continue;
    }
    checkValue(key, decl, value);
    values[key] = value;
  }
  if (missing.length > 0) throw validationError(`Parameters: [${missing.join(', ')}] must have values`);
  return values;
}

function checkValue(key: string, decl: ParameterDecl, value: string): void {
  const type = decl.Type;
  const items = isListType(type) ? splitList(value) : [value];
  if (type === 'Number' || type === 'List<Number>') {
    for (const item of items) {
      if (item.trim() === '' || Number.isNaN(Number(item))) throw validationError(`Parameter '${key}' must be a number.`);
      if (decl.MinValue !== undefined && Number(item) < Number(decl.MinValue)) throw validationError(`Parameter '${key}' must be a number not less than ${String(decl.MinValue)}`);
      if (decl.MaxValue !== undefined && Number(item) > Number(decl.MaxValue)) throw validationError(`Parameter '${key}' must be a number not greater than ${String(decl.MaxValue)}`);
    }
  }
  for (const item of items) {
    if (Array.isArray(decl.AllowedValues) && !decl.AllowedValues.map(String).includes(item)) {
      throw validationError(`Parameter '${key}' must be one of AllowedValues`);
    }
    if (decl.AllowedPattern !== undefined && !new RegExp(`^(?:${decl.AllowedPattern})$`).test(item)) {
      throw validationError(`Parameter '${key}' must match pattern ${decl.AllowedPattern}`);
    }
    if (decl.MinLength !== undefined && item.length < Number(decl.MinLength)) throw validationError(`Parameter '${key}' must contain at least ${String(decl.MinLength)} characters`);
    if (decl.MaxLength !== undefined && item.length > Number(decl.MaxLength)) throw validationError(`Parameter '${key}' must contain at most ${String(decl.MaxLength)} characters`);
  }
}

function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

function splitList(value: string): string[] {
  return value === '' ? [] : value.split(',').map((s) => s.trim());
}

/** Values as intrinsics see them: list types become arrays. */
export function typedParameters(template: Template, values: Record<string, string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(values)) {
    const type = template.Parameters?.[key]?.Type ?? 'String';
    out[key] = isListType(type) ? splitList(value) : value;
  }
  return out;
}

/** Parameters as DescribeStacks shows them: NoEcho values masked. */
export function displayParameters(template: Template, values: Record<string, string>): Array<{ ParameterKey: string; ParameterValue: string }> {
  return Object.entries(values).map(([key, value]) => ({
    ParameterKey: key,
    ParameterValue: isTrue(template.Parameters?.[key]?.NoEcho) ? '****' : value,
  }));
}

export function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True';
}

/** The Parameters list of ValidateTemplate / GetTemplateSummary. */
export function declaredParameters(template: Template): Array<Record<string, unknown>> {
  return Object.entries(template.Parameters ?? {}).map(([key, decl]) => ({
    ParameterKey: key,
    DefaultValue: decl.Default === undefined ? undefined : Array.isArray(decl.Default) ? decl.Default.join(',') : String(decl.Default),
    ParameterType: decl.Type,
    NoEcho: isTrue(decl.NoEcho),
    Description: decl.Description,
    ParameterConstraints: Array.isArray(decl.AllowedValues) ? { AllowedValues: decl.AllowedValues.map(String) } : {},
  }));
}

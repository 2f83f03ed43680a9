import type { AttributeValue } from '../attribute-value.js';

/** A document path with every #name already substituted: ['a', 'b', 0, 'c'] for a.b[0].c. */
export interface Path {
  kind: 'path';
  elements: Array<string | number>;
}

export interface ValueRef {
  kind: 'value';
  name: string;
  value: AttributeValue;
}

export interface SizeCall {
  kind: 'size';
  path: Path;
}

export type Operand = Path | ValueRef | SizeCall;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ConditionFunction = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains';

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'function'; name: ConditionFunction; args: Operand[] };

export type UpdateValue =
  | Path
  | ValueRef
  | { kind: 'if_not_exists'; path: Path; fallback: UpdateValue }
  | { kind: 'list_append'; first: UpdateValue; second: UpdateValue }
  | { kind: 'plus' | 'minus'; left: UpdateValue; right: UpdateValue };

export interface UpdateActions {
  set: Array<{ path: Path; value: UpdateValue }>;
  remove: Path[];
  add: Array<{ path: Path; value: ValueRef }>;
  delete: Array<{ path: Path; value: ValueRef }>;
}

export function pathToString(path: Path): string {
  return path.elements.map((e, i) => (typeof e === 'number' ? `[${e}]` : i === 0 ? e : `.${e}`)).join('');
}

import { validation } from '../../aws-error.js';
import type { AttributeValue } from '../attribute-value.js';
import type { Condition } from './ast.js';
import type { ExpressionContext } from './context.js';
import { parseCondition } from './parser.js';

export interface KeyCondition {
  /** The whole expression, for evaluating against candidate items. */
  condition: Condition;
  hashValue: AttributeValue;
}

function conjuncts(condition: Condition): Condition[] {
  return condition.kind === 'and' ? [...conjuncts(condition.left), ...conjuncts(condition.right)] : [condition];
}

// Which top-level attribute a key-condition term constrains, or undefined for a shape
// DynamoDB does not accept in a key condition.
function keyAttributeOf(term: Condition): { name: string; op: string; value?: AttributeValue } | undefined {
  if (term.kind === 'compare' && term.left.kind === 'path' && term.right.kind === 'value' && term.left.elements.length === 1)
    return { name: term.left.elements[0] as string, op: term.op, value: term.right.value };
  if (term.kind === 'between' && term.subject.kind === 'path' && term.subject.elements.length === 1)
    return { name: term.subject.elements[0] as string, op: 'BETWEEN' };
  if (term.kind === 'function' && term.name === 'begins_with' && term.args[0]?.kind === 'path' && term.args[0].elements.length === 1)
    return { name: term.args[0].elements[0] as string, op: 'begins_with' };
  return undefined;
}

function findOperator(condition: Condition): string | undefined {
  if (condition.kind === 'or') return 'OR';
  if (condition.kind === 'not') return 'NOT';
  if (condition.kind === 'in') return 'IN';
  if (condition.kind === 'compare' && condition.op === '<>') return '<>';
  if (condition.kind === 'and') return findOperator(condition.left) ?? findOperator(condition.right);
  if (condition.kind === 'function' && condition.name !== 'begins_with') return condition.name;
  return undefined;
}

/** Parse and check a KeyConditionExpression against the table's key schema (hash, optional range). */
export function parseKeyCondition(source: string, ctx: ExpressionContext, hashKey: string, rangeKey: string | undefined): KeyCondition {
  const condition = parseCondition(source, ctx, 'KeyConditionExpression');
  const bad = findOperator(condition);
  if (bad) throw validation(`Invalid operator used in KeyConditionExpression: ${bad}`);
  const terms = conjuncts(condition).map(keyAttributeOf);
  if (terms.some((t) => t === undefined) || terms.length > 2) throw validation('Query key condition not supported');
  const hash = terms.find((t) => t!.name === hashKey);
  if (!hash) throw validation(`Query condition missed key schema element: ${hashKey}`);
  if (hash.op !== '=' || !hash.value) throw validation('Query key condition not supported');
  for (const term of terms) {
    if (term === hash) continue;
    if (term!.name !== rangeKey) throw validation('Query key condition not supported');
  }
  if (terms.length === 2 && terms[0]!.name === terms[1]!.name) throw validation('Query key condition not supported');
  return { condition, hashValue: hash.value };
}

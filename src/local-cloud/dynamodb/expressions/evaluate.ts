import { compareValues, sizeOf, typeOf, valuesEqual, type AttributeValue, type Item } from '../attribute-value.js';
import type { Condition, Operand, Path } from './ast.js';

/** The value at a document path, or undefined when any step is missing or of the wrong type. */
export function resolvePath(item: Item, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = item[path.elements[0] as string];
  for (const element of path.elements.slice(1)) {
    if (current === undefined) return undefined;
    if (typeof element === 'number') current = current.L?.[element];
    else current = current.M?.[element];
  }
  return current;
}

function operandValue(item: Item, operand: Operand): AttributeValue | undefined {
  if (operand.kind === 'value') return operand.value;
  if (operand.kind === 'path') return resolvePath(item, operand);
  const target = resolvePath(item, operand.path);
  const size = target === undefined ? undefined : sizeOf(target);
  return size === undefined ? undefined : { N: String(size) };
}

function lessOrEqual(a: AttributeValue, b: AttributeValue): boolean {
  const order = compareValues(a, b);
  return order !== undefined && order <= 0;
}

// contains() on a string is substring; on a set, membership of a scalar of the set's element
// type; on a list, membership of any equal element.
function contains(haystack: AttributeValue, needle: AttributeValue): boolean {
  const t = typeOf(haystack);
  const nt = typeOf(needle);
  if (t === 'S') return nt === 'S' && haystack.S!.includes(needle.S!);
  if (t === 'B') return nt === 'B' && Buffer.from(haystack.B!, 'base64').includes(Buffer.from(needle.B!, 'base64'));
  if (t === 'SS' && nt === 'S') return haystack.SS!.includes(needle.S!);
  if (t === 'NS' && nt === 'N') return haystack.NS!.some((n) => valuesEqual({ N: n }, needle));
  if (t === 'BS' && nt === 'B') return haystack.BS!.includes(needle.B!);
  if (t === 'L') return haystack.L!.some((v) => valuesEqual(v, needle));
  return false;
}

function beginsWith(value: AttributeValue, prefix: AttributeValue): boolean {
  if (value.S !== undefined && prefix.S !== undefined) return value.S.startsWith(prefix.S);
  if (value.B !== undefined && prefix.B !== undefined) {
    const v = Buffer.from(value.B, 'base64');
    const p = Buffer.from(prefix.B, 'base64');
    return v.subarray(0, p.length).equals(p);
  }
  return false;
}

/** Evaluate a condition, key condition or filter against an item (missing attributes compare false, except <>). */
export function evaluateCondition(item: Item, condition: Condition): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(item, condition.left) && evaluateCondition(item, condition.right);
    case 'or':
      return evaluateCondition(item, condition.left) || evaluateCondition(item, condition.right);
    case 'not':
      return !evaluateCondition(item, condition.operand);
    case 'compare': {
      const left = operandValue(item, condition.left);
      const right = operandValue(item, condition.right);
      if (condition.op === '<>') return left === undefined || right === undefined || !valuesEqual(left, right);
      if (left === undefined || right === undefined) return false;
      if (condition.op === '=') return valuesEqual(left, right);
      const order = compareValues(left, right);
      if (order === undefined) return false;
      if (condition.op === '<') return order < 0;
      if (condition.op === '<=') return order <= 0;
      if (condition.op === '>') return order > 0;
      return order >= 0;
    }
    case 'between': {
      const subject = operandValue(item, condition.subject);
      const low = operandValue(item, condition.low);
      const high = operandValue(item, condition.high);
      if (!subject || !low || !high) return false;
      return lessOrEqual(low, subject) && lessOrEqual(subject, high);
    }
    case 'in': {
      const subject = operandValue(item, condition.subject);
      if (!subject) return false;
      return condition.list.some((candidate) => {
        const value = operandValue(item, candidate);
        return value !== undefined && valuesEqual(subject, value);
      });
    }
    case 'function': {
      const [first, second] = condition.args.map((a) => operandValue(item, a));
      switch (condition.name) {
        case 'attribute_exists':
          return first !== undefined;
        case 'attribute_not_exists':
          return first === undefined;
        case 'attribute_type':
          return first !== undefined && second?.S === typeOf(first);
        case 'begins_with':
          return first !== undefined && second !== undefined && beginsWith(first, second);
        case 'contains':
          return first !== undefined && second !== undefined && contains(first, second);
      }
    }
  }
}

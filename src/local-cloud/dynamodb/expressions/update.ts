import { validation } from '../../aws-error.js';
import { clone, typeOf, valuesEqual, type AttributeValue, type Item } from '../attribute-value.js';
import { addNumbers, subtractNumbers } from '../decimal.js';
import { type Path, type UpdateActions, type UpdateValue } from './ast.js';
import { resolvePath } from './evaluate.js';

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';

function evaluate(item: Item, value: UpdateValue): AttributeValue {
  switch (value.kind) {
    case 'value':
      return value.value;
    case 'path': {
      const found = resolvePath(item, value);
      if (!found) throw validation('The provided expression refers to an attribute that does not exist in the item');
      return found;
    }
    case 'if_not_exists':
      return resolvePath(item, value.path) ?? evaluate(item, value.fallback);
    case 'list_append': {
      const first = evaluate(item, value.first);
      const second = evaluate(item, value.second);
      if (!first.L || !second.L) throw validation(WRONG_TYPE);
      return { L: [...first.L, ...second.L] };
    }
    case 'plus':
    case 'minus': {
      const left = evaluate(item, value.left);
      const right = evaluate(item, value.right);
      if (left.N === undefined || right.N === undefined) throw validation(WRONG_TYPE);
      return { N: value.kind === 'plus' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
    }
  }
}

// The container holding the last path element; DynamoDB never creates intermediate maps.
function parentOf(item: Item, path: Path): AttributeValue | undefined {
  if (path.elements.length === 1) return { M: item };
  return resolvePath(item, { kind: 'path', elements: path.elements.slice(0, -1) });
}

function setAt(item: Item, path: Path, value: AttributeValue): void {
  const parent = parentOf(item, path);
  const last = path.elements[path.elements.length - 1]!;
  if (typeof last === 'number') {
    if (!parent?.L) throw validation(INVALID_PATH);
    if (last >= parent.L.length) parent.L.push(value);
    else parent.L[last] = value;
  } else {
    if (!parent?.M) throw validation(INVALID_PATH);
    parent.M[last] = value;
  }
}

function removeAt(item: Item, path: Path): void {
  const parent = parentOf(item, path);
  const last = path.elements[path.elements.length - 1]!;
  if (typeof last === 'number') {
    if (parent?.L && last < parent.L.length) parent.L.splice(last, 1);
  } else if (parent?.M) {
    delete parent.M[last];
  }
}

function addTo(current: AttributeValue | undefined, operand: AttributeValue): AttributeValue {
  const t = typeOf(operand);
  if (t !== 'N' && t !== 'SS' && t !== 'NS' && t !== 'BS')
    throw validation(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: ${longType(t)}`);
  if (!current) return clone(operand);
  if (typeOf(current) !== t) throw validation(WRONG_TYPE);
  if (t === 'N') return { N: addNumbers(current.N!, operand.N!) };
  const merged = [...current[t]!];
  for (const element of operand[t]!) if (!merged.some((m) => sameElement(t, m, element))) merged.push(element);
  return { [t]: merged };
}

function deleteFrom(current: AttributeValue | undefined, operand: AttributeValue): AttributeValue | undefined {
  const t = typeOf(operand);
  if (t !== 'SS' && t !== 'NS' && t !== 'BS')
    throw validation(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: ${longType(t)}`);
  if (!current) return undefined;
  if (typeOf(current) !== t) throw validation(WRONG_TYPE);
  const remaining = current[t]!.filter((m) => !operand[t]!.some((o) => sameElement(t, m, o)));
  return remaining.length ? { [t]: remaining } : undefined;
}

function sameElement(t: 'SS' | 'NS' | 'BS' | 'N', a: string, b: string): boolean {
  return t === 'NS' ? valuesEqual({ N: a }, { N: b }) : a === b;
}

function longType(t: string): string {
  return { S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', M: 'MAP', L: 'LIST' }[t] ?? t;
}

function overlaps(a: Path, b: Path): boolean {
  const n = Math.min(a.elements.length, b.elements.length);
  for (let i = 0; i < n; i++) if (a.elements[i] !== b.elements[i]) return false;
  return true;
}

/** Every path the update writes, in expression order: what UPDATED_OLD/UPDATED_NEW project. */
export function updatedPaths(actions: UpdateActions): Path[] {
  return [...actions.set.map((s) => s.path), ...actions.remove, ...actions.add.map((a) => a.path), ...actions.delete.map((d) => d.path)];
}

export function assertNoOverlap(actions: UpdateActions): void {
  const paths = updatedPaths(actions);
  for (let i = 0; i < paths.length; i++)
    for (let j = i + 1; j < paths.length; j++)
      if (overlaps(paths[i]!, paths[j]!)) {
        const show = (p: Path) => `[${p.elements.join(', ')}]`;
        throw validation(
          `Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${show(paths[i]!)}, path two: ${show(paths[j]!)}`,
        );
      }
}

/** Apply an update to a copy of the item. Every right-hand side reads the item as it was before the update. */
export function applyUpdate(original: Item, actions: UpdateActions): Item {
  const item = clone(original);
  const setValues = actions.set.map((s) => clone(evaluate(original, s.value)));
  actions.set.forEach((s, i) => setAt(item, s.path, setValues[i]!));
  // Remove list elements from the highest index down so earlier removals don't shift later ones.
  const removals = [...actions.remove].sort((a, b) => {
    const ia = a.elements[a.elements.length - 1];
    const ib = b.elements[b.elements.length - 1];
    return typeof ia === 'number' && typeof ib === 'number' ? ib - ia : 0;
  });
  for (const path of removals) removeAt(item, path);
  for (const { path, value } of actions.add) {
    const parent = parentOf(item, path);
    if (!parent) throw validation(INVALID_PATH);
    setAt(item, path, addTo(resolvePath(item, path), value.value));
  }
  for (const { path, value } of actions.delete) {
    const next = deleteFrom(resolvePath(item, path), value.value);
    if (next) setAt(item, path, next);
    else removeAt(item, path);
  }
  return item;
}


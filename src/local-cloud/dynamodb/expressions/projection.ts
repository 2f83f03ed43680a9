import { clone, type AttributeValue, type Item } from '../attribute-value.js';
import type { Path } from './ast.js';

// Copy one path from source into target, creating the enclosing maps/lists. List elements
// selected by index are appended in order, so a[3] alone comes back as a one-element list,
// which is what DynamoDB returns.
function copyPath(source: AttributeValue | undefined, target: AttributeValue, elements: Array<string | number>): void {
  if (!source) return;
  const [head, ...rest] = elements;
  if (head === undefined) return;
  if (typeof head === 'number') {
    const child = source.L?.[head];
    if (!child || !target.L) return;
    if (rest.length === 0) {
      target.L.push(clone(child));
      return;
    }
    const holder = emptyLike(child);
    copyPath(child, holder, rest);
    if (!isEmpty(holder)) target.L.push(holder);
    return;
  }
  const child = source.M?.[head];
  if (!child || !target.M) return;
  if (rest.length === 0) {
    target.M[head] = clone(child);
    return;
  }
  const holder = target.M[head] ?? emptyLike(child);
  copyPath(child, holder, rest);
  if (!isEmpty(holder)) target.M[head] = holder;
}

function emptyLike(value: AttributeValue): AttributeValue {
  return value.L ? { L: [] } : { M: {} };
}

function isEmpty(value: AttributeValue): boolean {
  return (value.L?.length ?? 0) === 0 && Object.keys(value.M ?? {}).length === 0;
}

/** The item with only the given paths, nested structure preserved. */
export function project(item: Item, paths: Path[]): Item {
  const root: AttributeValue = { M: {} };
  for (const path of paths) copyPath({ M: item }, root, path.elements);
  return root.M!;
}

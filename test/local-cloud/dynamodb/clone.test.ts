import { describe, expect, it } from 'vitest';
import { clone, type Item } from '../../../src/local-cloud/dynamodb/attribute-value.js';

// clone replaced structuredClone on every item read and write (issue 13): it must copy JSON data
// exactly as structuredClone did, share nothing with the original, and keep `__proto__` (a legal
// attribute name) an own attribute rather than a prototype.
describe('attribute-value clone', () => {
  const item: Item = JSON.parse(
    '{"pk":{"S":"a"},"n":{"N":"1.5"},"b":{"B":"AAE="},"t":{"BOOL":false},"z":{"NULL":true},"ss":{"SS":["x","y"]},' +
      '"l":{"L":[{"S":"q"},{"M":{"deep":{"NS":["1","2"]}}}]},"__proto__":{"S":"not a prototype"}}',
  ) as Item;

  it('copies items as structuredClone does, sharing nothing', () => {
    const copy = clone(item);
    expect(copy).toStrictEqual(structuredClone(item));
    expect(JSON.stringify(copy)).toBe(JSON.stringify(item));
    copy.l!.L![1]!.M!.deep!.NS!.push('3');
    copy.ss!.SS![0] = 'changed';
    expect(item.l!.L![1]!.M!.deep!.NS).toEqual(['1', '2']);
    expect(item.ss!.SS).toEqual(['x', 'y']);
  });

  it('keeps __proto__ an own attribute', () => {
    const copy = clone(item);
    expect(Object.keys(copy)).toContain('__proto__');
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ S: 'not a prototype' });
  });
});

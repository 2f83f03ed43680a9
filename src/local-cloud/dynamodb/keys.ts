import { validation } from '../aws-error.js';
import { clone, compareValues, typeOf, type Item } from './attribute-value.js';
import type { KeySchemaElement, TableState } from './model.js';

export interface KeyNames {
  hash: string;
  range?: string;
}

export function keyNames(schema: KeySchemaElement[]): KeyNames {
  const hash = schema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const range = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return range ? { hash, range } : { hash };
}

export function tableKeyNames(table: TableState): string[] {
  const { hash, range } = keyNames(table.keySchema);
  return range ? [hash, range] : [hash];
}

function declaredType(table: TableState, name: string): string {
  return table.attributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType;
}

function checkKeyValue(table: TableState, name: string, item: Item, inItem: boolean): void {
  const value = item[name];
  if (!value) {
    throw validation(inItem ? `One or more parameter values were invalid: Missing the key ${name} in the item` : 'The provided key element does not match the schema');
  }
  const expected = declaredType(table, name);
  const actual = typeOf(value);
  if (actual !== expected) {
    throw validation(
      inItem ? `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${expected} actual: ${actual}` : 'The provided key element does not match the schema',
    );
  }
  if (value.S === '' || value.B === '')
    throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${value.S === '' ? 'string' : 'binary'} value. Key: ${name}`);
}

/** A full item must carry the table's key attributes with their declared types. */
export function checkItemKeys(table: TableState, item: Item): void {
  for (const name of tableKeyNames(table)) checkKeyValue(table, name, item, true);
}

/** A Key parameter must be exactly the key attributes, nothing more. */
export function checkKey(table: TableState, key: Item): void {
  const names = tableKeyNames(table);
  if (Object.keys(key).length !== names.length) throw validation('The provided key element does not match the schema');
  for (const name of names) checkKeyValue(table, name, key, false);
}

export function extractKey(table: TableState, item: Item): Item {
  const key: Item = {};
  for (const name of tableKeyNames(table)) key[name] = clone(item[name]!);
  return key;
}

/** Stable storage key: the normalised key values, so "1.0" and "1" address the same item. */
export function keyString(table: TableState, item: Item): string {
  return JSON.stringify(tableKeyNames(table).map((name) => item[name]));
}

/** Order items by hash then range (numerically for N), then by the table key for index ties. */
export function compareByKeys(names: KeyNames, table: TableState): (a: Item, b: Item) => number {
  const tableNames = keyNames(table.keySchema);
  const attrs = [names.hash, names.range, tableNames.hash, tableNames.range].filter((n): n is string => !!n);
  return (a, b) => {
    for (const name of attrs) {
      const x = a[name];
      const y = b[name];
      if (!x || !y) continue;
      const order = compareValues(x, y) ?? 0;
      if (order !== 0) return order;
    }
    return 0;
  };
}

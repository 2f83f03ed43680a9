import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../../../../src/local-cloud/dynamodb/attribute-value.js';
import { ExpressionContext } from '../../../../src/local-cloud/dynamodb/expressions/context.js';
import { parseUpdate } from '../../../../src/local-cloud/dynamodb/expressions/parser.js';
import { applyUpdate, assertNoOverlap } from '../../../../src/local-cloud/dynamodb/expressions/update.js';

const base: Item = {
  id: { S: 'k' },
  n: { N: '10' },
  tags: { SS: ['a', 'b'] },
  lst: { L: [{ S: 'x' }, { S: 'y' }, { S: 'z' }] },
  mp: { M: { a: { N: '1' } } },
};

function update(expression: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>, item: Item = base): Item {
  const actions = parseUpdate(expression, new ExpressionContext(names, values));
  assertNoOverlap(actions);
  return applyUpdate(item, actions);
}

describe('update expressions', () => {
  it('SETs top-level and nested attributes', () => {
    const out = update('SET s = :s, mp.b = :b', { ':s': { S: 'new' }, ':b': { BOOL: true } });
    expect(out.s).toEqual({ S: 'new' });
    expect(out.mp).toEqual({ M: { a: { N: '1' }, b: { BOOL: true } } });
    expect(base.s).toBeUndefined();
  });

  it('does arithmetic exactly on decimal strings', () => {
    expect(update('SET n = n + :d', { ':d': { N: '0.1' } }).n).toEqual({ N: '10.1' });
    expect(update('SET n = n - :d', { ':d': { N: '15' } }).n).toEqual({ N: '-5' });
    expect(update('SET n = :a + :b', { ':a': { N: '0.1' }, ':b': { N: '0.2' } }).n).toEqual({ N: '0.3' });
  });

  it('rejects arithmetic on a non-number', () => {
    expect(() => update('SET n = id + :d', { ':d': { N: '1' } })).toThrow('An operand in the update expression has an incorrect data type');
  });

  it('if_not_exists keeps an existing value and fills a missing one', () => {
    const v = { ':z': { N: '0' } };
    expect(update('SET n = if_not_exists(n, :z)', v).n).toEqual({ N: '10' });
    expect(update('SET c = if_not_exists(c, :z)', v).c).toEqual({ N: '0' });
    expect(update('SET c = if_not_exists(c, :z) + :one', { ...v, ':one': { N: '1' } }).c).toEqual({ N: '1' });
  });

  it('list_append appends and prepends', () => {
    const v = { ':new': { L: [{ S: 'w' }] } };
    expect(update('SET lst = list_append(lst, :new)', v).lst!.L!.map((e) => e.S)).toEqual(['x', 'y', 'z', 'w']);
    expect(update('SET lst = list_append(:new, lst)', v).lst!.L!.map((e) => e.S)).toEqual(['w', 'x', 'y', 'z']);
  });

  it('SET past the end of a list appends', () => {
    expect(update('SET lst[10] = :v', { ':v': { S: 'end' } }).lst!.L!.map((e) => e.S)).toEqual(['x', 'y', 'z', 'end']);
  });

  it('REMOVEs attributes and list elements by original index', () => {
    const out = update('REMOVE n, lst[0], lst[2]');
    expect(out.n).toBeUndefined();
    expect(out.lst!.L!.map((e) => e.S)).toEqual(['y']);
  });

  it('ADDs to numbers and sets, creating missing attributes', () => {
    expect(update('ADD n :d', { ':d': { N: '5' } }).n).toEqual({ N: '15' });
    expect(update('ADD c :d', { ':d': { N: '5' } }).c).toEqual({ N: '5' });
    expect(update('ADD tags :t', { ':t': { SS: ['b', 'c'] } }).tags).toEqual({ SS: ['a', 'b', 'c'] });
  });

  it('DELETEs from sets and drops a set that becomes empty', () => {
    expect(update('DELETE tags :t', { ':t': { SS: ['a'] } }).tags).toEqual({ SS: ['b'] });
    expect(update('DELETE tags :t', { ':t': { SS: ['a', 'b'] } }).tags).toBeUndefined();
  });

  it('combines clauses, each reading the item as it was', () => {
    const out = update('SET a = n, n = :v REMOVE mp ADD c :one', { ':v': { N: '1' }, ':one': { N: '1' } });
    expect(out).toMatchObject({ a: { N: '10' }, n: { N: '1' }, c: { N: '1' } });
    expect(out.mp).toBeUndefined();
  });

  it('rejects a SET under a missing parent', () => {
    expect(() => update('SET nope.child = :v', { ':v': { S: 'x' } })).toThrow('The document path provided in the update expression is invalid for update');
  });

  it('rejects a SET from a missing attribute', () => {
    expect(() => update('SET a = gone')).toThrow('The provided expression refers to an attribute that does not exist in the item');
  });

  it('rejects ADD with a string operand', () => {
    expect(() => update('ADD n :s', { ':s': { S: 'x' } })).toThrow('operator: ADD, operand type: STRING');
  });

  it('rejects a clause used twice and overlapping paths', () => {
    expect(() => update('SET a = :v SET b = :v', { ':v': { S: 'x' } })).toThrow('The "SET" section can only be used once in an update expression;');
    expect(() => update('SET mp = :v REMOVE mp.a', { ':v': { M: {} } })).toThrow('Two document paths overlap with each other');
  });

  it('rejects syntax errors', () => {
    expect(() => update('SET a :v', { ':v': { S: 'x' } })).toThrow('Invalid UpdateExpression: Syntax error; token: ":v"');
    expect(() => update('UPSERT a = :v', { ':v': { S: 'x' } })).toThrow('Invalid UpdateExpression: Syntax error; token: "UPSERT"');
    expect(() => update('SET a = size(b)')).toThrow('The function is not allowed in an update expression; function: size');
  });
});

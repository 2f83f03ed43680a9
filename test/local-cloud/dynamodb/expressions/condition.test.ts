import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../../../../src/local-cloud/dynamodb/attribute-value.js';
import { ExpressionContext } from '../../../../src/local-cloud/dynamodb/expressions/context.js';
import { evaluateCondition } from '../../../../src/local-cloud/dynamodb/expressions/evaluate.js';
import { parseCondition } from '../../../../src/local-cloud/dynamodb/expressions/parser.js';

const item: Item = {
  id: { S: 'abc' },
  n: { N: '10' },
  big: { N: '99999999999999999999999999999999999999' },
  tags: { SS: ['red', 'blue'] },
  nums: { NS: ['1', '2.5'] },
  lst: { L: [{ S: 'x' }, { M: { deep: { N: '3' } } }] },
  mp: { M: { inr: { S: 'hello' }, empty: { NULL: true } } },
  flag: { BOOL: true },
};

function check(expression: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>, target: Item = item): boolean {
  const ctx = new ExpressionContext(names, values);
  return evaluateCondition(target, parseCondition(expression, ctx));
}

describe('condition expressions', () => {
  it.each([
    ['n = :v', { ':v': { N: '10.0' } }, true],
    ['n <> :v', { ':v': { N: '10' } }, false],
    ['n < :v', { ':v': { N: '9' } }, false],
    ['n <= :v', { ':v': { N: '10' } }, true],
    ['n > :v', { ':v': { N: '9.99' } }, true],
    ['n >= :v', { ':v': { N: '11' } }, false],
    ['id < :v', { ':v': { S: 'abd' } }, true],
    ['n BETWEEN :a AND :b', { ':a': { N: '5' }, ':b': { N: '10' } }, true],
    ['n between :a and :b', { ':a': { N: '11' }, ':b': { N: '20' } }, false],
    ['id IN (:a, :b)', { ':a': { S: 'x' }, ':b': { S: 'abc' } }, true],
    ['n IN (:a)', { ':a': { S: '10' } }, false],
  ] as const)('%s', (expression, values, expected) => {
    expect(check(expression, values as Record<string, AttributeValue>)).toBe(expected);
  });

  it('compares numbers numerically, not as strings or doubles', () => {
    expect(check('n > :v', { ':v': { N: '9' } })).toBe(true);
    expect(check('big > :v', { ':v': { N: '99999999999999999999999999999999999998' } })).toBe(true);
  });

  it('treats a absent attribute as false for = and true for <>', () => {
    expect(check('absent = :v', { ':v': { S: 'a' } })).toBe(false);
    expect(check('absent <> :v', { ':v': { S: 'a' } })).toBe(true);
    expect(check('absent < :v', { ':v': { S: 'a' } })).toBe(false);
  });

  it('never orders values of different types', () => {
    expect(check('n < :v', { ':v': { S: 'zzz' } })).toBe(false);
    expect(check('n > :v', { ':v': { S: '0' } })).toBe(false);
  });

  it('binds AND tighter than OR, and NOT tighter than AND', () => {
    const v = { ':t': { BOOL: true }, ':f': { BOOL: false } };
    expect(check('flag = :f AND flag = :f OR flag = :t', v)).toBe(true);
    expect(check('flag = :t OR flag = :f AND flag = :f', v)).toBe(true);
    expect(check('(flag = :t OR flag = :f) AND flag = :f', v)).toBe(false);
    expect(check('NOT flag = :f AND flag = :t', v)).toBe(true);
    expect(check('NOT (flag = :t AND flag = :t)', v)).toBe(false);
  });

  it('evaluates the condition functions', () => {
    expect(check('attribute_exists(id)')).toBe(true);
    expect(check('attribute_exists(gone)')).toBe(false);
    expect(check('attribute_not_exists(gone)')).toBe(true);
    expect(check('attribute_exists(mp.inr)')).toBe(true);
    expect(check('attribute_exists(lst[1].deep)')).toBe(true);
    expect(check('attribute_exists(lst[5])')).toBe(false);
    expect(check('attribute_type(tags, :t)', { ':t': { S: 'SS' } })).toBe(true);
    expect(check('attribute_type(n, :t)', { ':t': { S: 'S' } })).toBe(false);
    expect(check('begins_with(id, :p)', { ':p': { S: 'ab' } })).toBe(true);
    expect(check('begins_with(mp.inr, :p)', { ':p': { S: 'hex' } })).toBe(false);
    expect(check('contains(id, :s)', { ':s': { S: 'bc' } })).toBe(true);
    expect(check('contains(tags, :s)', { ':s': { S: 'red' } })).toBe(true);
    expect(check('contains(nums, :s)', { ':s': { N: '2.50' } })).toBe(true);
    expect(check('contains(lst, :s)', { ':s': { S: 'x' } })).toBe(true);
    expect(check('contains(tags, :s)', { ':s': { S: 'green' } })).toBe(false);
  });

  it('compares size() of strings, sets, lists and maps', () => {
    expect(check('size(id) = :n', { ':n': { N: '3' } })).toBe(true);
    expect(check('size(tags) = :n', { ':n': { N: '2' } })).toBe(true);
    expect(check('size(lst) > :n', { ':n': { N: '1' } })).toBe(true);
    expect(check('size(mp) = :n', { ':n': { N: '2' } })).toBe(true);
    expect(check('size(absent) = :n', { ':n': { N: '0' } })).toBe(false);
  });

  it('substitutes #names, including inside nested paths', () => {
    expect(check('#m.#i = :v', { ':v': { S: 'hello' } }, { '#m': 'mp', '#i': 'inr' })).toBe(true);
    expect(check('#s = :v', { ':v': { S: 'up' } }, { '#s': 'status' }, { status: { S: 'up' } })).toBe(true);
  });

  it('compares maps and lists structurally', () => {
    expect(check('mp = :m', { ':m': { M: { empty: { NULL: true }, inr: { S: 'hello' } } } })).toBe(true);
    expect(check('lst[0] = :x', { ':x': { S: 'x' } })).toBe(true);
  });
});

describe('condition expression errors', () => {
  const fails = (expression: string, message: string, values: Record<string, AttributeValue> = { ':v': { S: 'a' } }, names?: Record<string, string>) =>
    expect(() => parseCondition(expression, new ExpressionContext(names, values))).toThrow(message);

  it('reports syntax errors with the offending token', () => {
    fails('a =', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="');
    fails('a = :v AND', 'Invalid ConditionExpression: Syntax error; token: "<EOF>"');
    fails('(a = :v', 'Invalid ConditionExpression: Syntax error; token: "<EOF>"');
    fails('a = :v b', 'Syntax error; token: "b"');
    fails('a ! :v', 'Syntax error; token: "!"');
  });

  it('rejects reserved words used as bare names', () => {
    fails('status = :v', 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status');
  });

  it('rejects undefined placeholders', () => {
    fails('#x = :v', 'An expression attribute name used in the document path is not defined; attribute name: #x');
    fails('a = :gone', 'An expression attribute value used in expression is not defined; attribute value: :gone');
  });

  it('checks function names and arity', () => {
    fails('frobnicate(a)', 'Invalid function name; function: frobnicate');
    fails('attribute_exists(a, b)', 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2');
    fails('attribute_exists(:v)', 'Operator or function requires a document path; operator or function: attribute_exists');
    fails('begins_with(a, :n)', 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N', { ':n': { N: '1' } });
  });

  it('rejects BETWEEN with bounds out of order', () => {
    fails('a BETWEEN :hi AND :lo', 'The BETWEEN operator requires upper bound to be greater than or equal to lower bound', { ':hi': { N: '5' }, ':lo': { N: '1' } });
  });

  it('rejects an empty expression', () => {
    fails('  ', 'Invalid ConditionExpression: The expression can not be empty;');
  });

  it('reports unused placeholders after parsing', () => {
    const ctx = new ExpressionContext({ '#a': 'a', '#b': 'b' }, { ':v': { S: 'x' } });
    parseCondition('#a = :v', ctx);
    expect(() => ctx.assertAllUsed()).toThrow('Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}');
  });
});

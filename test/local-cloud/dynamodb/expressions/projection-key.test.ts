import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/local-cloud/dynamodb/attribute-value.js';
import { ExpressionContext } from '../../../../src/local-cloud/dynamodb/expressions/context.js';
import { parseKeyCondition } from '../../../../src/local-cloud/dynamodb/expressions/key-condition.js';
import { parseProjection } from '../../../../src/local-cloud/dynamodb/expressions/parser.js';
import { project } from '../../../../src/local-cloud/dynamodb/expressions/projection.js';

describe('projection expressions', () => {
  const item: Item = {
    id: { S: 'k' },
    a: { M: { b: { N: '1' }, c: { N: '2' } } },
    lst: { L: [{ S: 'x' }, { M: { d: { S: 'deep' }, e: { S: 'no' } } }] },
  };

  it('keeps only the named paths, nested structure preserved', () => {
    const paths = parseProjection('id, a.b, lst[1].d, absent', new ExpressionContext(undefined, undefined));
    expect(project(item, paths)).toEqual({
      id: { S: 'k' },
      a: { M: { b: { N: '1' } } },
      lst: { L: [{ M: { d: { S: 'deep' } } }] },
    });
  });

  it('resolves #names', () => {
    const paths = parseProjection('#s', new ExpressionContext({ '#s': 'id' }, undefined));
    expect(project(item, paths)).toEqual({ id: { S: 'k' } });
  });
});

describe('key conditions', () => {
  const ctx = (values: Record<string, unknown>) => new ExpressionContext(undefined, values as never);

  it('accepts hash equality with every range operator', () => {
    for (const range of ['sk = :r', 'sk < :r', 'sk <= :r', 'sk > :r', 'sk >= :r', 'begins_with(sk, :r)'])
      expect(parseKeyCondition(`pk = :h AND ${range}`, ctx({ ':h': { S: 'a' }, ':r': { S: 'b' } }), 'pk', 'sk').hashValue).toEqual({ S: 'a' });
    expect(() => parseKeyCondition('pk = :h AND sk BETWEEN :a AND :b', ctx({ ':h': { S: 'a' }, ':a': { S: 'a' }, ':b': { S: 'b' } }), 'pk', 'sk')).not.toThrow();
  });

  it('requires the hash key', () => {
    expect(() => parseKeyCondition('sk = :r', ctx({ ':r': { S: 'b' } }), 'pk', 'sk')).toThrow('Query condition missed key schema element: pk');
  });

  it('rejects non-equality on the hash key and non-key attributes', () => {
    expect(() => parseKeyCondition('pk > :h', ctx({ ':h': { S: 'a' } }), 'pk', 'sk')).toThrow('Query key condition not supported');
    expect(() => parseKeyCondition('pk = :h AND colour = :h2', ctx({ ':h': { S: 'a' }, ':h2': { S: 'a' } }), 'pk', 'sk')).toThrow('Query key condition not supported');
  });

  it('rejects OR and NOT', () => {
    expect(() => parseKeyCondition('pk = :h OR pk = :h2', ctx({ ':h': { S: 'a' }, ':h2': { S: 'b' } }), 'pk', undefined)).toThrow('Invalid operator used in KeyConditionExpression: OR');
  });
});

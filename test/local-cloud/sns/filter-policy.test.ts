import { describe, expect, it } from 'vitest';
import { filterMatches, parseFilterPolicy, type MessageAttribute } from '../../../src/local-cloud/sns/filter-policy.js';

const attrs = (values: Record<string, [string, string]>): Record<string, MessageAttribute> =>
  Object.fromEntries(Object.entries(values).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }]));
const onAttrs = (policy: unknown, values: Record<string, [string, string]>) =>
  filterMatches(parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes'), 'MessageAttributes', 'body', attrs(values));
const onBody = (policy: unknown, body: unknown) => filterMatches(parseFilterPolicy(JSON.stringify(policy), 'MessageBody'), 'MessageBody', JSON.stringify(body), {});

describe('SNS filter policies', () => {
  it('matches exact strings and numbers, prefixes, suffixes, case-insensitive equality and String.Array elements', () => {
    expect(onAttrs({ t: ['a', 'b'] }, { t: ['String', 'b'] })).toBe(true);
    expect(onAttrs({ t: ['a'] }, { t: ['String', 'A'] })).toBe(false);
    expect(onAttrs({ t: [{ 'equals-ignore-case': 'a' }] }, { t: ['String', 'A'] })).toBe(true);
    expect(onAttrs({ t: [{ prefix: 'thing-' }] }, { t: ['String', 'thing-x'] })).toBe(true);
    expect(onAttrs({ t: [{ suffix: '.png' }] }, { t: ['String', 'a.jpg'] })).toBe(false);
    expect(onAttrs({ n: [5] }, { n: ['Number', '5.0'] })).toBe(true);
    expect(onAttrs({ n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: ['Number', '5'] })).toBe(true);
    expect(onAttrs({ n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: ['Number', '6'] })).toBe(false);
    expect(onAttrs({ n: [{ numeric: ['>', 0] }] }, { n: ['String', '6'] })).toBe(false); // numeric rules need a Number attribute
    expect(onAttrs({ tags: ['red'] }, { tags: ['String.Array', '["blue","red"]'] })).toBe(true);
  });

  it('handles anything-but, exists, absent keys (AND between keys) and $or', () => {
    expect(onAttrs({ t: [{ 'anything-but': ['a', 'b'] }] }, { t: ['String', 'c'] })).toBe(true);
    expect(onAttrs({ t: [{ 'anything-but': { prefix: 'int-' } }] }, { t: ['String', 'int-x'] })).toBe(false);
    expect(onAttrs({ t: [{ 'anything-but': 'a' }] }, {})).toBe(false);
    expect(onAttrs({ t: [{ exists: false }] }, {})).toBe(true);
    expect(onAttrs({ t: [{ exists: true }] }, {})).toBe(false);
    expect(onAttrs({ a: ['1'], b: ['2'] }, { a: ['String', '1'] })).toBe(false);
    expect(onAttrs({ $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: ['String', '2'] })).toBe(true);
    expect(onAttrs({ t: ['x'] }, { t: ['Binary', 'eA=='] })).toBe(false);
  });

  it('follows nested keys in the message body, and a non-JSON body matches nothing', () => {
    expect(onBody({ thing: { kind: ['a'] } }, { thing: { kind: 'a' } })).toBe(true);
    expect(onBody({ thing: { kind: ['a'] } }, { thing: 'a' })).toBe(false);
    expect(onBody({ tags: ['x'] }, { tags: ['y', 'x'] })).toBe(true);
    expect(filterMatches({ a: ['1'] }, 'MessageBody', 'not json', {})).toBe(false);
  });

  it('rejects malformed policies with AWS-style InvalidParameter messages', () => {
    const bad = (text: string, scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes') => () => parseFilterPolicy(text, scope);
    expect(bad('{')).toThrow('Invalid parameter: FilterPolicy: failed to parse JSON');
    expect(bad('{"a": "x"}')).toThrow(/must be an object or an array/);
    expect(bad('{"a": []}')).toThrow(/Empty arrays are not allowed/);
    expect(bad('{"a": {"b": ["x"]}}')).toThrow(/nested keys are allowed only with FilterPolicyScope MessageBody/);
    expect(bad('{"a": {"b": ["x"]}}', 'MessageBody')).not.toThrow();
    expect(bad('{"a": [{"wat": 1}]}')).toThrow(/Unrecognized match type wat/);
    expect(bad('{"a": [{"numeric": [">", "1"]}]}')).toThrow(/numeric/);
    expect(bad('{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}')).toThrow(/more than 5 keys/);
    expect(bad(JSON.stringify({ a: Array.from({ length: 20 }, (_, i) => String(i)), b: Array.from({ length: 10 }, (_, i) => String(i)) }))).toThrow(/too complex/);
  });
});

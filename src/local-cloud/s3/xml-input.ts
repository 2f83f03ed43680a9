import { record } from '../protocols/narrow.js';
import { malformedXml } from './errors.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An XML list: absent or empty → [], one element (the parser's object) → [it], repeated → the array. */
export const asArray = (value: unknown): unknown[] => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]);

/** The body's root element (an empty element is {}), or MalformedXML when the root is not the one the operation expects. */
export function rootElement(parsed: unknown, root: string): Record<string, unknown> {
  const value = record(parsed)[root];
  if (value === undefined) throw malformedXml();
  return record(value);
}

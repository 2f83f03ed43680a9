import { malformedXml } from './errors.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export const asArray = <T>(value: T | T[] | undefined | null | ''): T[] => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]);

/** The body's root element, or MalformedXML when the root is not the one the operation expects. */
export function rootElement(parsed: any, root: string): any {
  const value = parsed?.[root];
  if (value === undefined) throw malformedXml();
  return value === '' ? {} : value;
}

import { XMLParser } from 'fast-xml-parser';

// Wire XML for the two XML protocols. awsQuery wraps every list item in <member>; restXml
// (S3, Route 53) repeats the element named by the key, and callers spell out wrapper elements.
export type ListStyle = 'member' | 'repeat';

const ENTRY_MAP = Symbol('entry-map');

/** A map that awsQuery serialises as <entry><key/><value/></entry> (e.g. SNS attributes). */
export function entryMap(values: Record<string, string>): object {
  return { [ENTRY_MAP]: true, ...values };
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function scalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return escapeXml(String(value));
}

/** Serialise the children of an object (not the object's own element). */
export function xmlChildren(value: unknown, style: ListStyle): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object' || value instanceof Date) return scalar(value);
  if ((value as Record<symbol, unknown>)[ENTRY_MAP]) {
    return Object.entries(value)
      .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${scalar(v)}</value></entry>`)
      .join('');
  }
  let out = '';
  for (const [key, child] of Object.entries(value)) {
    out += xmlElement(key, child, style);
  }
  return out;
}

export function xmlElement(name: string, value: unknown, style: ListStyle): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    if (style === 'member') {
      return `<${name}>${value.map((item) => `<member>${xmlChildren(item, style)}</member>`).join('')}</${name}>`;
    }
    return value.map((item) => xmlElement(name, item, style)).join('');
  }
  return `<${name}>${xmlChildren(value, style)}</${name}>`;
}

export function xmlDocument(root: string, value: unknown, style: ListStyle, xmlns?: string): string {
  const ns = xmlns ? ` xmlns="${xmlns}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${xmlChildren(value, style)}</${root}>`;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  removeNSPrefix: true,
  ignoreDeclaration: true,
});

/**
 * A parsed request body: elements become keys, text becomes strings (tag values are not parsed),
 * a repeated element becomes an array. Callers narrow it (or parse it with a schema) before use.
 */
export type XmlValue = string | XmlValue[] | { [element: string]: XmlValue };

/** Parse a request body; returns {} for an empty body. */
export function parseXml(body: Buffer | string): { [element: string]: XmlValue } {
  const text = body.toString();
  if (text.trim() === '') return {};
  return parser.parse(text) as { [element: string]: XmlValue };
}

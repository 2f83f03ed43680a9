import type { ObjectState } from './model.js';

export interface ListParams {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  /** Exclusive lower bound: start-after, continuation token or marker. */
  after?: string;
}

export interface ListPage {
  contents: ObjectState[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix on this page: where the next page starts after. */
  last?: string;
}

// Keys in S3's order (UTF-8 byte order), grouped into common prefixes by the delimiter. A common
// prefix counts once against max-keys, and resuming after it skips every key beneath it.
export function listObjects(objects: Record<string, ObjectState>, params: ListParams): ListPage {
  const prefix = params.prefix ?? '';
  const maxKeys = params.maxKeys ?? 1000;
  const keys = Object.keys(objects)
    .filter((k) => k.startsWith(prefix))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const page: ListPage = { contents: [], commonPrefixes: [], isTruncated: false };
  const after = params.after;
  for (const key of keys) {
    if (after !== undefined && (key <= after || (after.endsWith(params.delimiter ?? '\u0000') && key.startsWith(after)))) continue;
    let entry: string = key;
    let isPrefix = false;
    if (params.delimiter) {
      const at = key.indexOf(params.delimiter, prefix.length);
      if (at >= 0) {
        entry = key.slice(0, at + params.delimiter.length);
        isPrefix = true;
      }
    }
    if (isPrefix && page.commonPrefixes[page.commonPrefixes.length - 1] === entry) continue;
    if (page.contents.length + page.commonPrefixes.length >= maxKeys) {
      page.isTruncated = true;
      break;
    }
    if (isPrefix) page.commonPrefixes.push(entry);
    else page.contents.push(objects[key]!);
    page.last = entry;
  }
  return page;
}

import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';

export type ConfigPath = ReadonlyArray<string | number>;

// A value from the file inside a message, quoted and escaped: a newline (or U+2028, C1 controls,
// bidi overrides) in it must not start a line of its own or rearrange the terminal's text.
export function quoted(value: string): string {
  return escapeControls(JSON.stringify(value));
}

export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// "regions[1]", "healthCheck.alarm.period": how users write keys in docs and in our messages. Keys
// that are not plain words are quoted: ["a b"].
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (!/^[A-Za-z0-9_-]+$/.test(part)) out += `[${quoted(part)}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

function lineAt(node: Node | null | undefined, lines: LineCounter): number | undefined {
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

// Line of the value at `path`, or of the key `key` inside the mapping at `path`; falls back to the
// nearest existing ancestor so a missing key points at the mapping that should contain it.
export function lineOf(doc: Document, lines: LineCounter, path: ConfigPath, key?: string): number {
  if (key !== undefined) {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      const line = pair && isScalar(pair.key) ? lineAt(pair.key, lines) : undefined;
      if (line !== undefined) return line;
    }
  }
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    const line = lineAt(node, lines);
    if (line !== undefined) return line;
  }
  return lineAt(doc.contents as Node | null, lines) ?? 1;
}

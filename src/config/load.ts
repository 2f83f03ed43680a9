import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../did-you-mean.js';
import { escapeControls, formatPath, lineOf, type ConfigPath } from './locate.js';
import { configSchema, DEFAULT_ZONE, DEMO_REGIONS, DEMO_SERVICE, KNOWN_KEYS, type ResolvedConfig } from './schema.js';

export type { RegionctlConfig, ResolvedConfig } from './schema.js';

export const CONFIG_FILE = 'regionctl.yml';

export interface LoadConfigOptions {
  cwd: string;
  file?: string;
  stage?: string;
  regions?: string[];
}

interface Problem {
  where: string;
  key: string;
  message: string;
  hint?: string;
}

function displayName(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

// A config file is a few hundred bytes; --config /dev/zero or a FIFO must not hang or exhaust memory.
export const MAX_CONFIG_BYTES = 1 << 20;

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ConfigError('ConfigUnreadable', `${file}: not a regular file`, 2, { hint: 'pass the path of a regionctl.yml with --config' });
    if (info.size > MAX_CONFIG_BYTES) throw new ConfigError('ConfigUnreadable', `${file}: ${info.size} bytes is too large for a config file (at most ${MAX_CONFIG_BYTES})`, 2);
    return await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError('ConfigUnreadable', `${file}: cannot read: ${(err as Error).message}`, 2, { cause: err });
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? `${value}` : `${value > 0 ? '' : '-'}infinity`;
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

// Friendlier defaults than zod's "Invalid input: expected string, received undefined".
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const input: unknown = issue.input;
    if (input === undefined) return 'is required';
    // 1e400 and .inf are numbers to YAML but not to CloudWatch or Route 53.
    if (typeof input === 'number' && (issue.expected === 'number' || issue.expected === 'int')) {
      return Number.isNaN(input) ? 'must be a number (got NaN)' : Number.isFinite(input) ? `must be a whole number (got ${input})` : `must be a finite number (got ${describeValue(input)})`;
    }
    const expected = issue.expected === 'array' ? 'a list' : issue.expected === 'object' || issue.expected === 'record' ? 'a mapping' : issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`;
    return `must be ${expected} (got ${describeValue(input)})`;
  }
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if ((issue.code === 'too_small' || issue.code === 'too_big') && (issue.origin === 'number' || issue.origin === 'int')) {
    const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
    const inclusive = issue.inclusive !== false;
    const word = issue.code === 'too_small' ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
    return `must be ${word} ${String(bound)}${typeof issue.input === 'number' ? ` (got ${issue.input})` : ''}`;
  }
  return issue.message;
}

function hintFor(key: string, issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'custom') return (issue.params as { hint?: string } | undefined)?.hint;
  if (key === 'service' && issue.code === 'invalid_type' && issue.input === undefined) {
    return 'add a line such as "service: orders" to name the service you deploy';
  }
  return undefined;
}

function problemsOf(
  issues: z.core.$ZodIssue[],
  locate: (p: ConfigPath, key?: string) => string,
): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, KNOWN_KEYS[formatPath(at)] ?? []);
        problems.push({
          where: locate(at, key),
          key: formatPath([...at, key]),
          message: 'unknown key',
          hint: suggestion ? `did you mean "${suggestion}"?` : `allowed keys here: ${(KNOWN_KEYS[formatPath(at)] ?? []).join(', ')}`,
        });
      }
      continue;
    }
    const key = formatPath(at);
    // zod can report one value twice (2^60 is both "not a safe integer" and "too big"): keep the first.
    if (problems.some((p) => p.key === key && key !== '')) continue;
    problems.push({ where: locate(at), key, message: describeIssue(issue), hint: hintFor(key, issue) });
  }
  return problems;
}

function toError(problems: Problem[]): ConfigError {
  const lines = problems.map((p) => `${p.where}: ${p.key === '' ? '' : `${p.key}: `}${p.message}`);
  const hint = problems.find((p) => p.hint)?.hint;
  return new ConfigError('InvalidConfig', lines.join('\n'), 2, hint ? { hint } : undefined);
}

// Aliases expand while the document is converted; a config file needs few, and a "billion laughs"
// file must fail fast with a config error instead of exhausting memory.
const MAX_ALIAS_COUNT = 100;

// Where an alias sits, as a config key path, for messages about aliases that cannot be expanded.
function firstAlias(doc: Document, accept: (alias: Node) => boolean): { node: Node; path: (string | number)[] } | undefined {
  let found: { node: Node; path: (string | number)[] } | undefined;
  visit(doc, {
    Alias(_key, node, ancestors) {
      if (!accept(node)) return undefined;
      const path: (string | number)[] = [];
      const chain = [...ancestors.slice(1), node];
      for (let i = 0; i < chain.length - 1; i++) {
        const parent = chain[i];
        const child = chain[i + 1];
        if (isPair(parent) && isScalar(parent.key) && child === parent.value) path.push(String(parent.key.value));
        else if (isSeq(parent)) path.push(parent.items.indexOf(child as never));
      }
      found = { node, path };
      return visit.BREAK;
    },
  });
  return found;
}

function syntaxError(name: string, line: number, key: string, message: string, cause: unknown, hint = 'check indentation and quoting around that line'): ConfigError {
  return new ConfigError('ConfigSyntax', `${name}:${line}: ${key === '' ? '' : `${key}: `}invalid YAML: ${escapeControls(message)}`, 2, { hint, cause });
}

export function parseYaml(text: string, name: string): { doc: Document; lines: LineCounter; raw: unknown } {
  const lines = new LineCounter();
  // logLevel 'error': the library's warnings (unknown tags, collection keys) go to process warnings
  // on stderr otherwise; anything that matters is reported as a config error with its line below.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, logLevel: 'error' });
  const first = doc.errors[0];
  if (first) {
    // Without prettyErrors the error carries only its offset; the line counter turns it into a line.
    const line = lines.linePos(first.pos[0]).line;
    throw syntaxError(name, line, '', first.message.split('\n')[0], first);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The yaml library throws ReferenceError for an alias it cannot expand: unknown anchor, or
    // expansion beyond maxAliasCount (a "billion laughs" document).
    const message = (err as Error).message;
    const unresolved = /^Unresolved alias/.test(message);
    const at = firstAlias(doc, (node) => !unresolved || (isAlias(node) && node.resolve(doc) === undefined));
    const line = at ? lines.linePos(at.node.range?.[0] ?? 0).line : 1;
    const key = at ? formatPath(at.path) : '';
    throw unresolved
      ? syntaxError(name, line, key, message, err, 'define the anchor (&name) before using the alias (*name)')
      : syntaxError(name, line, key, `aliases expand to more than ${MAX_ALIAS_COUNT} nodes`, err, 'write the values out instead of nesting aliases');
  }
  return { doc, lines, raw: raw ?? {} };
}

// Reads regionctl.yml (or --config), applies --stage/--regions, validates, and fills defaults.
// Without a file and without --config, returns the demo configuration so `--local` works anywhere.
export async function loadConfig(opts: LoadConfigOptions): Promise<ResolvedConfig> {
  const explicit = opts.file !== undefined;
  const file = path.resolve(opts.cwd, opts.file ?? CONFIG_FILE);
  const text = await readIfPresent(file);
  if (text === undefined && explicit) {
    throw new ConfigError('ConfigNotFound', `${displayName(file, opts.cwd)}: no such file`, 2, {
      hint: 'check the --config path, or run "regionctl init" to create a regionctl.yml',
    });
  }

  const name = displayName(file, opts.cwd);
  let raw: unknown;
  let locate: (p: ConfigPath, key?: string) => string;
  if (text === undefined) {
    raw = { service: DEMO_SERVICE, regions: DEMO_REGIONS, dns: { zone: DEFAULT_ZONE, createZone: true }, table: {}, replication: { topology: 'ring' } };
    locate = () => '(defaults)';
  } else {
    const parsed = parseYaml(text, name);
    raw = parsed.raw;
    locate = (p, key) => `${name}:${lineOf(parsed.doc, parsed.lines, p, key)}`;
    // An empty file is an empty mapping (and reports "service: is required"); a list, a scalar or a
    // tagged value (!!binary) at the top is not a config file.
    if (parsed.doc.contents !== null && !isMap(parsed.doc.contents)) {
      throw new ConfigError('InvalidConfig', `${name}:${lineOf(parsed.doc, parsed.lines, [])}: the file must be a mapping of keys (service:, regions:, ...)`, 2, {
        hint: 'run "regionctl init --force" to write a commented example',
      });
    }
  }

  const input = { ...(raw as Record<string, unknown>) };
  const flagged = new Map<string, string>();
  if (opts.stage !== undefined) {
    input.stage = opts.stage;
    flagged.set('stage', '--stage');
  }
  if (opts.regions !== undefined) {
    input.regions = opts.regions;
    flagged.set('regions', '--regions');
    // A file's primaryRegion outside the --regions subset falls back to the first listed region.
    if (typeof input.primaryRegion === 'string' && !opts.regions.includes(input.primaryRegion)) delete input.primaryRegion;
  }

  const result = configSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    const where = (p: ConfigPath, key?: string): string => {
      const flag = key === undefined && typeof p[0] === 'string' ? flagged.get(p[0]) : undefined;
      return flag ?? locate(p, key);
    };
    throw toError(problemsOf(result.error.issues, where));
  }
  return { ...result.data, file: text === undefined ? null : file, dir: path.dirname(file) };
}

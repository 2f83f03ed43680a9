import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { formatPath, lineOf, type ConfigPath } from './locate.js';
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

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError('ConfigUnreadable', `${file}: cannot read: ${(err as Error).message}`, 2, { cause: err });
  }
}

// Friendlier defaults than zod's "Invalid input: expected string, received undefined".
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    const got = Array.isArray(issue.input) ? 'a list' : issue.input === null ? 'empty' : `a ${typeof issue.input}`;
    const expected = issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : `a ${issue.expected}`;
    return `must be ${expected} (got ${got})`;
  }
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
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
    problems.push({ where: locate(at), key, message: describeIssue(issue), hint: hintFor(key, issue) });
  }
  return problems;
}

function toError(problems: Problem[]): ConfigError {
  const lines = problems.map((p) => `${p.where}: ${p.key === '' ? '' : `${p.key}: `}${p.message}`);
  const hint = problems.find((p) => p.hint)?.hint;
  return new ConfigError('InvalidConfig', lines.join('\n'), 2, hint ? { hint } : undefined);
}

function parseYaml(text: string, name: string): { doc: Document; lines: LineCounter; raw: unknown } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? 1;
    throw new ConfigError('ConfigSyntax', `${name}:${line}: invalid YAML: ${first.message.split('\n')[0]}`, 2, {
      hint: 'check indentation and quoting around that line',
      cause: first,
    });
  }
  return { doc, lines, raw: doc.toJS() ?? {} };
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
    raw = { service: DEMO_SERVICE, regions: DEMO_REGIONS, dns: { zone: DEFAULT_ZONE, createZone: true } };
    locate = () => '(defaults)';
  } else {
    const parsed = parseYaml(text, name);
    raw = parsed.raw;
    locate = (p, key) => `${name}:${lineOf(parsed.doc, parsed.lines, p, key)}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError('InvalidConfig', `${name}:1: the file must be a mapping of keys (service:, regions:, ...)`, 2, {
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

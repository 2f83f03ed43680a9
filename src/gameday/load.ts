import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, type Document, type LineCounter } from 'yaml';
import type { z } from 'zod';
import { describeIssue, parseYaml } from '../config/load.js';
import { formatPath, lineOf, type ConfigPath } from '../config/locate.js';
import { didYouMean } from '../did-you-mean.js';
import { ConfigError } from '../errors.js';
import { gamedaySchema, PROBE_KINDS, STEP_KINDS, stepSchemaFor, type GamedayFile, type StepKind } from './schema.js';

// Reads and validates a game-day file as a whole, before anything runs: every problem, each with
// file:line (the same rules and messages as regionctl.yml's), or a GamedayFile with defaults.

export interface LoadedGameday {
  file: string;
  /** As given on the command line (journal and messages). */
  display: string;
  gameday: GamedayFile;
  /** 1-based line of steps[i] and rollbacks.steps[i]. */
  stepLines: number[];
  rollbackLines: number[];
}

const MAX_BYTES = 1 << 20;

const KNOWN: Record<string, readonly string[]> = {
  '': ['$schema', 'name', 'description', 'regions', 'objectives', 'steadyState', 'stopConditions', 'steps', 'rollbacks', 'sampleEvery'],
  objectives: ['failoverWithin', 'failbackWithin', 'replicationLagP99Below', 'maxMissingItems'],
  stopConditions: ['minHealthyRegions', 'alarm', 'deadline', 'every'],
  rollbacks: ['strategy', 'steps'],
};

function stepKeyOf(value: unknown): StepKind[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return STEP_KINDS.filter((k) => k in (value as Record<string, unknown>));
}

interface Problem {
  at: ConfigPath;
  key?: string;
  message: string;
}

// Union issues say only "Invalid input": a step is checked again by the schema of the action it
// names, so its messages point at the field that is wrong.
function problemsOf(issues: readonly z.core.$ZodIssue[], raw: unknown): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const known = KNOWN[formatPath(at)] ?? [];
        const s = didYouMean(key, [...known]);
        out.push({ at, key, message: `unknown key${s ? ` (did you mean "${s}"?)` : known.length ? ` (allowed here: ${known.join(', ')})` : ''}` });
      }
      continue;
    }
    const value = at.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], raw);
    if (issue.code === 'invalid_union' && ((at.length === 2 && at[0] === 'steps') || (at.length === 3 && at[0] === 'rollbacks' && at[1] === 'steps'))) {
      const kinds = stepKeyOf(value);
      if (kinds.length !== 1) {
        out.push({ at, message: kinds.length === 0 ? `a step needs one action: ${STEP_KINDS.join(', ')}` : `a step takes one action, not ${kinds.join(' and ')}` });
        continue;
      }
      const again = stepSchemaFor(kinds[0]!).safeParse(value, { reportInput: true });
      if (!again.success) out.push(...problemsOf(again.error.issues.map((i) => ({ ...i, path: [...at, ...i.path] })), raw));
      continue;
    }
    if (issue.code === 'invalid_union') {
      const probe = ['assert', 'probe'].includes(String(at[at.length - 1])) || (at[0] === 'steadyState' && at.length === 2);
      out.push({ at, message: value === undefined ? 'is required' : probe ? `must be a probe with probe: ${PROBE_KINDS.join(' | ')}` : String(at[at.length - 1]) === 'expect' ? 'must be a region name such as us-east-1, or any-other' : 'is not one of the allowed forms (see schemas/gameday.schema.json)' });
      continue;
    }
    const key = formatPath(at);
    if (out.some((p) => formatPath(p.at) === key && key !== '')) continue;
    out.push({ at, message: describeIssue(issue) });
  }
  return out;
}

function toError(problems: Problem[], name: string, doc: Document, lines: LineCounter): ConfigError {
  const text = problems
    .map((p) => ({ p, line: lineOf(doc, lines, p.at, p.key) }))
    .sort((a, b) => a.line - b.line)
    .map(({ p, line }) => {
      const key = formatPath(p.key ? [...p.at, p.key] : p.at);
      return `${name}:${line}: ${key === '' ? '' : `${key}: `}${p.message}`;
    });
  return new ConfigError('InvalidGameday', text.join('\n'), 2, { hint: 'fix the game-day file; nothing was run or changed' });
}

/** Parse and validate game-day YAML text (name: what messages call the file). */
export function parseGameday(text: string, name: string): Omit<LoadedGameday, 'file' | 'display'> {
  const { doc, lines, raw } = parseYaml(text, name);
  if (!isMap(doc.contents)) throw new ConfigError('InvalidGameday', `${name}:1: a game-day file is a mapping (name:, steps:, ...)`, 2, { hint: 'see examples/gamedays/' });
  const result = gamedaySchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw toError(problemsOf(result.error.issues, raw), name, doc, lines);
  const linesOf = (p: ConfigPath): number[] => {
    const seq = doc.getIn(p, true);
    return isSeq(seq) ? seq.items.map((_, i) => lineOf(doc, lines, [...p, i])) : [];
  };
  return { gameday: result.data, stepLines: linesOf(['steps']), rollbackLines: linesOf(['rollbacks', 'steps']) };
}

/** Read FILE (relative to cwd) and validate it whole. */
export async function loadGameday(cwd: string, file: string): Promise<LoadedGameday> {
  const full = path.resolve(cwd, file);
  let text: string;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw new ConfigError('GamedayUnreadable', `${file}: not a regular file`, 2);
    if (info.size > MAX_BYTES) throw new ConfigError('GamedayUnreadable', `${file}: ${info.size} bytes is too large for a game-day file`, 2);
    text = await readFile(full, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigError('GamedayNotFound', `${file}: no such file`, 2, { hint: 'pass the path of a game-day file, e.g. examples/gamedays/quick-failover.yml' });
    throw new ConfigError('GamedayUnreadable', `${file}: cannot read: ${(err as Error).message}`, 2, { cause: err });
  }
  return { file: full, display: file, ...parseGameday(text, file) };
}

/**
 * What the schema cannot know: the regions the steps name must be the game day's (regions:, else
 * regionctl.yml's). Checked before anything runs, with each step's line.
 */
export function checkAgainstConfig(loaded: LoadedGameday, config: { regions: readonly string[] }): void {
  const problems: string[] = [];
  const check = (list: 'steps' | 'rollbacks.steps', steps: GamedayFile['steps'], lines: number[]) =>
    steps.forEach((step, i) => {
      const s = step as Record<string, unknown>;
      const named: Array<[string, unknown]> = [
        ['region', s.region],
        ['from', s.from],
        ['to', s.to],
        ['duringPause.from', (s.duringPause as { from?: string } | undefined)?.from],
        ['duringPause.to', (s.duringPause as { to?: string } | undefined)?.to],
        ['assert.region', (s.assert as { region?: string } | undefined)?.region],
        ['assert.client', (s.assert as { client?: string } | undefined)?.client],
      ];
      for (const [key, r] of named) {
        if (typeof r === 'string' && !config.regions.includes(r)) problems.push(`${loaded.display}:${lines[i] ?? 1}: ${list}[${i}].${key}: ${r} is not one of the game day's regions (${config.regions.join(', ')})`);
      }
      const expect = (s.assert as { expect?: unknown } | undefined)?.expect;
      if ((s.assert as { probe?: string } | undefined)?.probe === 'dns' && typeof expect === 'string' && expect !== 'any-other' && !config.regions.includes(expect)) {
        problems.push(`${loaded.display}:${lines[i] ?? 1}: ${list}[${i}].assert.expect: ${expect} is not one of the game day's regions (${config.regions.join(', ')})`);
      }
    });
  check('steps', loaded.gameday.steps, loaded.stepLines);
  check('rollbacks.steps', loaded.gameday.rollbacks.steps, loaded.rollbackLines);
  const min = loaded.gameday.stopConditions.minHealthyRegions;
  if (min !== undefined && min > config.regions.length) problems.push(`${loaded.display}: stopConditions.minHealthyRegions: is ${min} but the game day runs on ${config.regions.length} region(s)`);
  for (const p of loaded.gameday.steadyState) {
    const r = 'region' in p ? p.region : 'client' in p ? p.client : undefined;
    if (r && !config.regions.includes(r)) problems.push(`${loaded.display}: steadyState: ${r} is not one of the game day's regions (${config.regions.join(', ')})`);
  }
  if (problems.length > 0) throw new ConfigError('InvalidGameday', problems.join('\n'), 2, { hint: 'fix the game-day file or pass --regions; nothing was run or changed' });
}

import { RegionctlError } from '../errors.js';
import { createStyle } from './style.js';
import type { TextSink } from './types.js';

export const ISSUES_URL = 'https://github.com/regionctl/regionctl/issues';

export interface ReportTarget {
  stdout: TextSink;
  stderr: TextSink;
  json: boolean;
  color: boolean;
  // In JSON mode stdout holds exactly one document: skip the error object if the result is already there.
  resultWritten: boolean;
}

// The single error funnel: an explained failure prints "error: ..." (+ "hint: ..."); anything else is a
// bug and prints its stack with where to report it. Returns the process exit code.
export function reportError(err: unknown, t: ReportTarget): number {
  const style = createStyle(t.color);
  if (err instanceof RegionctlError) {
    for (const line of err.message.split('\n')) t.stderr.write(`${style.bad('error:')} ${line}\n`);
    if (err.hint) t.stderr.write(`${style.dim('hint:')} ${err.hint}\n`);
    if (t.json && !t.resultWritten) {
      t.stdout.write(`${JSON.stringify({ error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } })}\n`);
    }
    return err.exitCode;
  }
  const stack = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  t.stderr.write(`${style.bad('internal error:')} ${stack}\n`);
  t.stderr.write(`This is a bug in regionctl; please report this at ${ISSUES_URL} with the command you ran.\n`);
  if (t.json && !t.resultWritten) {
    const message = err instanceof Error ? err.message : String(err);
    t.stdout.write(`${JSON.stringify({ error: { code: 'InternalError', message } })}\n`);
  }
  return 1;
}

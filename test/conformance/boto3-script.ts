// Shared by the boto3 conformance suites that run one Python script (py/*.py) against a local
// cloud: the script calls AWS operations through boto3 and prints, per named call, what botocore
// parsed (ok), the error it extracted (error) or how its parser crashed (crash).
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { skipWithoutTool } from '../support/require-tool.js';

export const PY = join(import.meta.dirname, 'py');

/** Whether boto3 suites skip here (never silently in CI: see skipWithoutTool). */
export function skipWithoutBoto3(): boolean {
  const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
  const missing = probe.error ? `python3 is not installed (${probe.error.message})` : probe.status !== 0 ? 'boto3 is not installed for python3' : undefined;
  return skipWithoutTool('boto3', missing);
}

export type Recorded = { ok?: any; error?: { code: string; message: string; status: number }; crash?: string };

/** Run py/<script> against the cloud at `url` and return what it recorded per call. */
export function runBoto3Script(script: string, url: string): Promise<Record<string, Recorded>> {
  return new Promise((resolve, reject) =>
    execFile('python3', [join(PY, script), url], { cwd: PY, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${script} failed: ${stderr || error.message}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

/** ok(name): the call succeeded, its parsed answer; err(name): it failed, its error. */
export function recordedCalls(recorded: () => Record<string, Recorded>) {
  return {
    ok(name: string): any {
      const r = recorded();
      expect({ name, error: r[name]?.error, crash: r[name]?.crash }).toEqual({ name, error: undefined, crash: undefined });
      return r[name]!.ok;
    },
    err(name: string): NonNullable<Recorded['error']> {
      const r = recorded();
      expect(r[name]?.error, `${name} should fail: ${JSON.stringify(r[name])}`).toBeDefined();
      return r[name]!.error!;
    },
    crashes(): string[] {
      return Object.entries(recorded()).flatMap(([name, v]) => (v.crash ? [`${name}: ${v.crash}`] : []));
    },
  };
}

import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one AWS CLI invocation produced, with the service error parsed the way the CLI prints it. */
export interface CliResult {
  exitCode: number;
  json: any;
  stderr: string;
  error?: { code: string; operation: string; message: string };
}

export const AWS_CLI = '/usr/bin/aws';

// The Debian package is AWS CLI v2; /root/.pyenv/shims/aws (first on PATH) is an older v1.
export function awsCliMissing(): string | undefined {
  const probe = spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8' });
  if (probe.error) return `${AWS_CLI} is not installed (apt-get install awscli)`;
  const version = `${probe.stdout}${probe.stderr}`.trim();
  return /^aws-cli\/2\./.test(version) ? undefined : `${AWS_CLI} is not AWS CLI v2 (${version})`;
}

// Each CLI start costs ~0.5 s of CPU. Unbounded, a dozen concurrent starts on a 2-core machine
// that is also running other test files pushed single calls past their timeout (flaky failures
// with no answer); a few at a time keeps every call well inside it and the suite as fast.
const MAX_RUNNING = 3;
let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Runs the CLI asynchronously: the local cloud answering it lives in this same event loop. */
export function awsCli(endpoint: string, home: string) {
  return (args: string[], region = 'us-east-1'): Promise<CliResult> => slot(() => runAws(endpoint, home, args, region));
}

function runAws(endpoint: string, home: string, args: string[], region: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      AWS_CLI,
      ['--endpoint-url', endpoint, '--region', region, '--output', 'json', '--no-cli-pager', ...args],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_CONFIG_FILE: `${home}/config`,
          AWS_SHARED_CREDENTIALS_FILE: `${home}/credentials`,
          AWS_MAX_ATTEMPTS: '1',
        },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error?.killed) stderr = `${stderr}\n[aws ${args.join(' ')}: killed after 120 s without finishing]`;
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        let json: any;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = stdout;
        }
        const m = /An error occurred \(([^)]+)\) when calling the (\w+) operation(?: \(reached max retries: \d+\))?: ([\s\S]*)$/.exec(stderr.trim());
        resolve({ exitCode, json, stderr, ...(m ? { error: { code: m[1], operation: m[2], message: m[3].trim() } } : {}) });
      },
    );
  });
}

/**
 * Installs boto3's newer botocore model for a service into the CLI's ~/.aws/models, for operations
 * this CLI build predates (2.9.x has no `account get-region-opt-status`). The CLI still parses the
 * answers with its own botocore; only the operation's shape comes from the newer model.
 * Returns why it could not, or undefined.
 */
export function addNewerModel(home: string, service: string): string | undefined {
  const script = [
    'import json, sys, botocore.loaders',
    'loader = botocore.loaders.Loader()',
    `version = loader.determine_latest_version(${JSON.stringify(service)}, 'service-2')`,
    `model = loader.load_service_model(${JSON.stringify(service)}, 'service-2', version)`,
    'json.dump({"version": version, "model": model}, sys.stdout)',
  ].join('\n');
  const out = spawnSync('python3', ['-c', script], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (out.error || out.status !== 0) return `no botocore model for ${service} (${out.error?.message ?? out.stderr.trim().split('\n').at(-1)})`;
  const { version, model } = JSON.parse(out.stdout) as { version: string; model: unknown };
  const dir = join(home, '.aws', 'models', service, version);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'service-2.json'), JSON.stringify(model));
  return undefined;
}

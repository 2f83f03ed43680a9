import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { UsageError } from '../errors.js';
import { resourceNames } from '../stage/counts.js';
import type { StagePlan } from '../stage/plan.js';

// `regionctl invoke`: call one of the stage's bundled functions in one region and show what it
// returned and the tail of its log (what the recipe did by hand with `sls invoke`).

export interface InvokeResult {
  functionName: string;
  region: string;
  statusCode: number;
  /** Unhandled (the function threw) or Handled; absent when it returned normally. */
  functionError?: string;
  /** The function's answer, parsed when it is JSON. */
  result: unknown;
  /** The last 4 KB of the invocation's log, when asked for. */
  log?: string;
}

/** The stage's functions in a region, by full name (`<service>-<stage>-<fn>`). */
export function stageFunctions(plan: StagePlan, region: string): string[] {
  return resourceNames(plan, 'AWS::Lambda::Function', region);
}

/** `command` or `shop-dev-command` → `shop-dev-command`, if the stage has it; otherwise a usage error listing them. */
export function resolveFunction(plan: StagePlan, region: string, name: string): string {
  const all = stageFunctions(plan, region);
  const prefix = `${plan.service}-${plan.stage}-`;
  const full = all.includes(name) ? name : `${prefix}${name}`;
  if (all.includes(full)) return full;
  throw new UsageError('UnknownFunction', `${name} is not one of the stage's functions in ${region}`, 2, {
    hint: `use one of: ${all.map((f) => f.slice(prefix.length)).join(', ')}`,
  });
}

export async function invokeFunction(opts: { lambda: LambdaClient; region: string; functionName: string; payload: unknown; log: boolean }): Promise<InvokeResult> {
  const out = await opts.lambda.send(
    new InvokeCommand({
      FunctionName: opts.functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(opts.payload ?? {})),
      ...(opts.log ? { LogType: 'Tail' as const } : {}),
    }),
  );
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
  let result: unknown = text;
  try {
    result = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: shown as text
  }
  return {
    functionName: opts.functionName,
    region: opts.region,
    statusCode: out.StatusCode ?? 0,
    ...(out.FunctionError ? { functionError: out.FunctionError } : {}),
    result,
    ...(opts.log && out.LogResult ? { log: Buffer.from(out.LogResult, 'base64').toString('utf8') } : {}),
  };
}

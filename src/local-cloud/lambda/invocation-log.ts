// The log text a Lambda invocation produces, in the Node runtime's format (START/END/REPORT lines
// around tab-separated console lines), as `--log-type Tail` and CloudWatch Logs show it.

const iso = (ms: number): string => new Date(ms).toISOString();

export interface InvocationLogInput {
  requestId: string;
  startedAt: number;
  console: string;
  durationMs: number;
  memoryMb: number;
  error?: { errorType: string; errorMessage: string; trace?: string[] };
  timedOutAfter?: number;
}

export function invocationLog(i: InvocationLogInput): string {
  const lines = [`START RequestId: ${i.requestId} Version: $LATEST\n`, i.console];
  if (i.error && i.timedOutAfter === undefined) {
    lines.push(`${iso(i.startedAt + i.durationMs)}\t${i.requestId}\tERROR\tInvoke Error \t${JSON.stringify(i.error)}\n`);
  }
  lines.push(`END RequestId: ${i.requestId}\n`);
  const duration = i.durationMs.toFixed(2);
  const billed = Math.max(1, Math.ceil(i.durationMs));
  lines.push(
    `REPORT RequestId: ${i.requestId}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\tMemory Size: ${i.memoryMb} MB\tMax Memory Used: ${Math.min(i.memoryMb, 64)} MB\t\n`,
  );
  if (i.timedOutAfter !== undefined) {
    lines.push(`${iso(i.startedAt + i.durationMs)} ${i.requestId} Task timed out after ${i.timedOutAfter.toFixed(2)} seconds\n`);
  }
  return lines.join('');
}

/** `X-Amz-Log-Result`: the last 4 KB of the log, base64. */
export function tailLog(log: string): string {
  const buf = Buffer.from(log);
  return buf.subarray(Math.max(0, buf.length - 4096)).toString('base64');
}

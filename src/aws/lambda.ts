import type { LambdaClient } from '@aws-sdk/client-lambda';
import { sdk } from './sdk.js';

/** A function ran but failed (X-Amz-Function-Error): its errorType and message. */
export class FunctionFailed extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    message: string,
  ) {
    super(`${functionName} failed: ${errorType}: ${message}`);
    this.name = 'FunctionFailed';
  }
}

/** Invoke a function synchronously with a JSON event and parse its JSON answer. */
export async function invokeJson(lambda: LambdaClient, functionName: string, event: unknown): Promise<unknown> {
  const out = await lambda.send(new (sdk('@aws-sdk/client-lambda').InvokeCommand)({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new FunctionFailed(functionName, 'InvalidPayload', `answered ${text.slice(0, 200)}`);
  }
  if (out.FunctionError) {
    const e = (payload ?? {}) as { errorType?: string; errorMessage?: string };
    throw new FunctionFailed(functionName, e.errorType ?? out.FunctionError, e.errorMessage ?? text.slice(0, 200));
  }
  return payload;
}

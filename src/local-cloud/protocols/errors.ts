import { AwsError } from '../aws-error.js';

/** Anything thrown by an operation becomes an AwsError; non-AWS errors are InternalFailure. */
export function asAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AwsError('InternalFailure', `The local cloud failed: ${message}`, 500, false);
}

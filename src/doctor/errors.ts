import type { CheckName, Finding } from './types.js';

interface SdkErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function errorName(err: unknown): string {
  return (err as SdkErrorLike)?.name ?? 'Error';
}

// Endpoints that do not implement an API (the local cloud, moto, partitions without the service) answer
// with one of these; the doctor then says it could not check instead of failing the deploy.
const UNSUPPORTED = new Set(['NotImplemented', 'InvalidAction', 'UnknownOperationException', 'UnknownOperation', 'NotImplementedException']);

export function isUnsupported(err: unknown): boolean {
  const e = err as SdkErrorLike;
  return UNSUPPORTED.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 501 || isForeignResponse(err);
}

// An emulator without the API answers with an HTML error page, which the SDK fails to parse.
function isForeignResponse(err: unknown): boolean {
  const e = err as SdkErrorLike;
  return e?.name === 'SyntaxError' || /XML parse error|Deserialization error|is not valid JSON/i.test(e?.message ?? '');
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);

/** A check that could not run is a warning, never a crash and never a failure. */
export function couldNotCheck(region: string, check: CheckName, what: string, err: unknown): Finding {
  const name = errorName(err);
  const detail = String((err as SdkErrorLike)?.message ?? err).split('\n')[0];
  if (DENIED.has(name)) {
    return {
      region,
      check,
      status: 'warn',
      message: `could not check ${what}: access denied (${detail})`,
      fix: 'grant the permissions printed by `regionctl iam-policy` to the deploying principal',
    };
  }
  const reason = isUnsupported(err) ? 'the endpoint does not implement this API' : `${name}: ${detail}`;
  return { region, check, status: 'warn', message: `could not check ${what}: ${reason}` };
}

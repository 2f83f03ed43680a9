import { AwsAccessError } from '../errors.js';

const REJECTED = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'AuthFailure',
]);

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: unknown;
  cause?: unknown;
}

function networkCode(err: SdkErrorLike): string | undefined {
  for (let e: SdkErrorLike | undefined = err, depth = 0; e && depth < 4; e = e.cause as SdkErrorLike | undefined, depth++) {
    if (e.code && UNREACHABLE.has(e.code)) return e.code;
    if (e.name === 'TimeoutError' || e.code === 'TimeoutError') return 'timed out';
    const errors = (e as { errors?: SdkErrorLike[] }).errors;
    const inner = Array.isArray(errors) ? errors.find((x) => x.code && UNREACHABLE.has(x.code)) : undefined;
    if (inner?.code) return inner.code;
  }
  return undefined;
}

// Secrets must never reach a terminal or a CI log, even inside an SDK message.
function redact(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('****');
  return out;
}

export interface AccessContext {
  endpoint: string;
  profile?: string;
  local: boolean;
  secrets: Array<string | undefined>;
}

// Turns the three ways "we cannot even talk to AWS" shows up in SDK v3 into one explained error;
// returns undefined for anything else (a real service error the caller should see as-is).
export function toAccessError(error: unknown, ctx: AccessContext): AwsAccessError | undefined {
  const err = (error ?? {}) as SdkErrorLike;
  const detail = redact(err.message ?? String(error), ctx.secrets);
  if (err.name === 'CredentialsProviderError' || /could not load credentials/i.test(err.message ?? '')) {
    const forProfile = ctx.profile ? ` for profile "${ctx.profile}"` : '';
    return new AwsAccessError('NoCredentials', `No AWS credentials found${forProfile}: ${detail}`, 1, {
      cause: error,
      hint: 'set AWS_PROFILE / --profile / aws configure, or use --local',
    });
  }
  if (err.name && REJECTED.has(err.name)) {
    return new AwsAccessError('CredentialsRejected', `AWS rejected the credentials: ${err.name}: ${detail}`, 1, {
      cause: error,
      hint: err.name.startsWith('Expired')
        ? 'refresh the session (aws sso login, or new temporary credentials) and retry'
        : 'check AWS_PROFILE / --profile and the access key; for the local cloud use --local',
    });
  }
  const net = networkCode(err);
  if (net) {
    return new AwsAccessError('EndpointUnreachable', `Cannot reach ${ctx.endpoint}: ${net}`, 1, {
      cause: error,
      hint: ctx.local
        ? 'start the local cloud with "regionctl local start" (or pass --local to start it automatically)'
        : 'check your network, proxy settings and --endpoint / AWS_ENDPOINT_URL',
    });
  }
  return undefined;
}

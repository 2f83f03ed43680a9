// Why an AWS read came back without a value, in a few words a status line can carry: a view that
// cannot read something says so instead of showing it as absent.

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'UnauthorizedException']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'PriorRequestNotComplete']);

export function errorReason(err: unknown): string {
  const e = err as { name?: string; message?: string } | undefined;
  const name = e?.name ?? 'Error';
  const detail = String(e?.message ?? err).split('\n')[0];
  if (DENIED.has(name)) return `access denied (${detail})`;
  if (THROTTLED.has(name)) return `throttled by AWS (${name}); try again`;
  return detail && detail !== name ? `${name}: ${detail}` : name;
}

/** The value, or the reason it could not be read. */
export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

export async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    return { ok: false, reason: errorReason(err) };
  }
}

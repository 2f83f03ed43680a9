import { createHash } from 'node:crypto';

/**
 * Which cloud and account a command acts on. Fault journal entries and stage locks are keyed by
 * it: the same stage name deployed to AWS and to the local cloud (or to two accounts) are
 * different things, and a record made against one must never be applied to the other.
 */
export interface CloudTarget {
  /** The endpoint URL, normalised (see normaliseEndpoint); null for AWS itself. */
  endpoint: string | null;
  /** The account id STS reported for the credentials in use. */
  account: string;
}

/**
 * One spelling per endpoint, so `--local`, `--endpoint http://localhost:4566/` and
 * `AWS_ENDPOINT_URL=http://127.0.0.1:4566` name the same target. The local cloud only listens on
 * 127.0.0.1, so `localhost` is folded into it.
 */
export function normaliseEndpoint(endpoint: string | undefined | null): string | null {
  if (!endpoint) return null;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return endpoint.replace(/\/+$/, '');
  }
  const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname;
  const port = url.port ? `:${url.port}` : '';
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${host}${port}${path}`;
}

/** The target of a provider: its endpoint and the account its credentials belong to (one STS call, cached by the provider). */
export async function cloudTarget(
  provider: { readonly endpoint?: string; verifyCredentials(region: string): Promise<{ account: string }> },
  region: string,
): Promise<CloudTarget> {
  const { account } = await provider.verifyCredentials(region);
  return { endpoint: normaliseEndpoint(provider.endpoint), account };
}

export function sameTarget(a: CloudTarget, b: CloudTarget): boolean {
  return normaliseEndpoint(a.endpoint) === normaliseEndpoint(b.endpoint) && a.account === b.account;
}

/** A file-name-safe key: `aws-123456789012`, or `127.0.0.1-4566-<hash of the endpoint>-000000000000`. */
export function targetKey(t: CloudTarget): string {
  const endpoint = normaliseEndpoint(t.endpoint);
  const account = safe(t.account || 'unknown-account');
  if (endpoint === null) return `aws-${account}`;
  let hostPort = endpoint;
  try {
    const url = new URL(endpoint);
    hostPort = `${url.hostname}-${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    // not a URL: the hash below still tells endpoints apart
  }
  const hash = createHash('sha256').update(endpoint).digest('hex').slice(0, 8);
  return `${safe(hostPort)}-${hash}-${account}`;
}

/** For people: "AWS (account 123456789012)" or "http://127.0.0.1:4566 (account 000000000000)". */
export function targetLabel(t: { endpoint: string | null; account?: string | null }): string {
  const where = t.endpoint ?? 'AWS';
  return t.account ? `${where} (account ${t.account})` : where;
}

/** The global flags that point a regionctl command at this endpoint ('' for AWS). */
export function endpointFlag(endpoint: string | null): string {
  return endpoint === null ? '' : ` --endpoint ${endpoint}`;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

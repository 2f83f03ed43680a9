// Unsigned (anonymous) GET/HEAD of an object: allowed only by a bucket policy that grants
// s3:GetObject to everyone, and never when the bucket's public access block restricts public
// buckets. Everything else anonymous is AccessDenied, as on AWS.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
import { randomUUID } from 'node:crypto';
import type { CloudRequest, CloudResponse, LocalService } from '../types.js';
import type { S3Domain } from './domain.js';

type Statement = { Effect?: string; Principal?: unknown; Action?: unknown; Resource?: unknown; Condition?: Record<string, Record<string, unknown>> };

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const like = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

const everyone = (p: unknown) => p === '*' || (typeof p === 'object' && p !== null && list((p as Record<string, unknown>).AWS).includes('*'));

// The request context of an anonymous read over the local cloud's plain HTTP.
const CONTEXT: Record<string, string> = { 'aws:securetransport': 'false' };

function conditionsHold(conditions: Statement['Condition']): boolean {
  if (!conditions) return true;
  return Object.entries(conditions).every(([op, keys]) =>
    Object.entries(keys ?? {}).every(([key, wanted]) => {
      const value = CONTEXT[key.toLowerCase()];
      if (value === undefined) return false; // a key an anonymous request lacks (aws:SourceIp, aws:PrincipalArn…) never matches
      const values = list(wanted).map(String);
      if (op === 'Bool' || op === 'StringEquals') return values.includes(value);
      if (op === 'StringNotEquals') return !values.includes(value);
      return false;
    }),
  );
}

function applies(st: Statement, resource: string): boolean {
  return (
    everyone(st.Principal) &&
    list(st.Action).some((a) => typeof a === 'string' && like(a.toLowerCase(), 's3:getobject')) &&
    list(st.Resource).some((r) => typeof r === 'string' && like(r, resource)) &&
    conditionsHold(st.Condition)
  );
}

/** Whether an anonymous caller may read `key` of `bucket`. */
export function anonymousReadAllowed(s3: S3Domain, bucket: string, key: string): boolean {
  const state = s3.bucket(bucket);
  if (state.publicAccessBlock?.RestrictPublicBuckets === true) return false;
  let statements: Statement[] = [];
  try {
    statements = list((JSON.parse(state.policy ?? '{}') as { Statement?: unknown }).Statement) as Statement[];
  } catch {
    return false;
  }
  const resource = `arn:aws:s3:::${bucket}/${key}`;
  if (statements.some((s) => s.Effect === 'Deny' && applies(s, resource))) return false;
  return statements.some((s) => s.Effect === 'Allow' && applies(s, resource));
}

const accessDenied = (requestId: string, head: boolean): CloudResponse => ({
  status: 403,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
  body: head ? '' : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>${requestId}</RequestId><HostId>${randomUUID()}</HostId></Error>`,
});

// A bucket whose region is out (a local-cloud region-outage fault) answers nothing useful, as
// every other endpoint of that region: 503, before its policy is even looked at.
const regionDown = (requestId: string, head: boolean, region: string): CloudResponse => ({
  status: 503,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
  body: head ? '' : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ServiceUnavailable</Code><Message>Region ${region} is unavailable (local cloud fault).</Message><RequestId>${requestId}</RequestId></Error>`,
});

/**
 * An unsigned request for `/bucket/key`: served by S3 as if from the bucket's region when the
 * bucket's policy makes the object public (and public access is not blocked), else AccessDenied;
 * 503 while the bucket's region is out (isRegionDown). Undefined when it is not an S3 object
 * read (the caller answers as before).
 */
export async function anonymousObjectRead(
  s3: S3Domain | undefined,
  service: LocalService | undefined,
  req: Omit<CloudRequest, 'service' | 'region'>,
  isRegionDown: (region: string) => boolean = () => false,
): Promise<CloudResponse | undefined> {
  if (!s3 || !service || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
  const m = /^\/([^/]+)\/(.+)$/.exec(req.path);
  if (!m) return undefined;
  const region = s3.bucketRegion(m[1]!);
  if (region === undefined) return undefined;
  if (isRegionDown(region)) return regionDown(req.requestId, req.method === 'HEAD', region);
  if (!anonymousReadAllowed(s3, m[1]!, m[2]!)) return accessDenied(req.requestId, req.method === 'HEAD');
  return service.handle({ ...req, service: 's3', region });
}

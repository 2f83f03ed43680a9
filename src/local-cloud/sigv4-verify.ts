import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

// Optional SigV4 verification (`regionctl local start --require-auth`). The expected signature is
// computed by the SDK's own signer (@smithy/signature-v4, installed with every v3 client) over the
// request as it arrived: the raw path, the query, exactly the headers the client listed in
// SignedHeaders and the payload hash it declared, so a request passes iff AWS would accept it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type VerifyOutcome = { ok: true } | { ok: false; reason: 'unknown-key' | 'bad-signature' | 'malformed'; message: string };

export interface SignedRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** Node's crypto in the shape the signer wants (hash, or HMAC when given a key). */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

function parseAmzDate(value: string | null | undefined): Date | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

function queryObject(query: URLSearchParams, drop: (key: string) => boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of query) {
    if (drop(k)) continue;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Verify a header-signed or presigned request against the configured keys. */
export async function verifySigV4(req: SignedRequest, keys: readonly LocalCredentials[]): Promise<VerifyOutcome> {
  const auth = req.headers.authorization;
  const presigned = !auth;
  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let date: Date | undefined;
  if (auth) {
    const m = AUTH.exec(auth.trim());
    if (!m) return { ok: false, reason: 'malformed', message: 'The Authorization header is not a well-formed AWS4-HMAC-SHA256 header.' };
    [, credential, signedHeaders, signature] = m;
    date = parseAmzDate(req.headers['x-amz-date']);
  } else {
    credential = req.query.get('X-Amz-Credential') ?? '';
    signedHeaders = req.query.get('X-Amz-SignedHeaders') ?? '';
    signature = req.query.get('X-Amz-Signature') ?? '';
    date = parseAmzDate(req.query.get('X-Amz-Date'));
    if (req.query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !signedHeaders || !/^[0-9a-f]{64}$/.test(signature)) {
      return { ok: false, reason: 'malformed', message: 'The presigned URL is missing X-Amz-Algorithm=AWS4-HMAC-SHA256, X-Amz-SignedHeaders or X-Amz-Signature.' };
    }
  }
  const [accessKeyId, day, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !day || !region || !service || terminator !== 'aws4_request') {
    return { ok: false, reason: 'malformed', message: `The credential scope ${credential} is not KEY/YYYYMMDD/region/service/aws4_request.` };
  }
  if (!date) return { ok: false, reason: 'malformed', message: 'The request has no valid X-Amz-Date.' };
  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) return { ok: false, reason: 'unknown-key', message: 'The security token included in the request is invalid.' };

  const names = signedHeaders.split(';');
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) return { ok: false, reason: 'bad-signature', message: `Header ${name} is listed in SignedHeaders but missing from the request.` };
    headers[name] = value;
  }
  // The payload hash the client declared counts even when it did not sign that header.
  const declared = req.headers['x-amz-content-sha256'];
  // A declared hex hash must be the body's (S3: XAmzContentSHA256Mismatch); UNSIGNED-PAYLOAD and the
  // STREAMING-* chunked forms leave the body out of the signature, as on AWS.
  if (declared !== undefined && /^[0-9a-f]{64}$/i.test(declared) && declared.toLowerCase() !== createHash('sha256').update(req.body).digest('hex')) {
    return { ok: false, reason: 'bad-signature', message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  if (declared !== undefined && headers['x-amz-content-sha256'] === undefined) headers['x-amz-content-sha256'] = declared;
  const unsigned = new Set(Object.keys(headers).filter((h) => !names.includes(h)));
  const s3 = service === 's3';
  const signer = new SignatureV4({ credentials: key, region, service, sha256: Sha256, uriEscapePath: !s3, applyChecksum: false });
  const base = {
    method: req.method,
    protocol: 'http:',
    hostname: (req.headers.host ?? '').replace(/:\d+$/, ''),
    path: req.rawPath,
    headers,
    body: req.body,
  };
  let expected: string | undefined;
  if (presigned) {
    // Presigned URLs carry no payload hash; S3 signs UNSIGNED-PAYLOAD, other services the empty body.
    const query = queryObject(req.query, (k) => k.startsWith('X-Amz-') && k !== 'X-Amz-Security-Token');
    const expires = Number(req.query.get('X-Amz-Expires') ?? '3600');
    const withPayload = s3 ? { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : headers;
    const signed = await signer.presign(
      { ...base, headers: withPayload, query, body: s3 ? undefined : Buffer.alloc(0) },
      { signingDate: date, expiresIn: expires, signableHeaders: new Set(names), unsignableHeaders: new Set(Object.keys(withPayload).filter((h) => !names.includes(h))) },
    );
    const got = signed.query?.['X-Amz-Signature'];
    expected = typeof got === 'string' ? got : undefined;
  } else {
    const signed = await signer.sign(
      { ...base, query: queryObject(req.query, () => false) },
      { signingDate: date, signableHeaders: new Set(names), unsignableHeaders: unsigned },
    );
    expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization ?? '')?.[1];
  }
  if (expected && same(expected, signature)) return { ok: true };
  return {
    ok: false,
    reason: 'bad-signature',
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  };
}

export const LOCAL_KEY_ENV = { id: 'REGIONCTL_LOCAL_ACCESS_KEY_ID', secret: 'REGIONCTL_LOCAL_SECRET_ACCESS_KEY' } as const;

/** The key pair `--require-auth` accepts, from the environment; undefined when not configured. */
export function localAuthKeys(env: NodeJS.ProcessEnv): LocalCredentials | undefined {
  const accessKeyId = env[LOCAL_KEY_ENV.id];
  const secretAccessKey = env[LOCAL_KEY_ENV.secret];
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

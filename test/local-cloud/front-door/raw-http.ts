import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP request exactly as given (no fetch: undici adds its own headers). Rejects on a reset. */
export function raw(
  baseUrl: string,
  opts: { method?: string; path: string; headers?: Record<string, string | number>; body?: string | Buffer; chunks?: Iterable<Buffer> },
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const headers: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = v;
  // Node frames a DELETE body only when told its length.
  if (opts.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = Buffer.byteLength(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: opts.method ?? 'GET', path: opts.path, headers, setHost: headers.host === undefined },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.chunks) {
      (async () => {
        for (const chunk of opts.chunks!) {
          if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      })().catch(reject);
    } else {
      req.end(opts.body);
    }
  });
}

/** An Authorization header naming a service and region (signatures are not checked without --require-auth). */
export function auth(service: string, region = 'us-east-1', key = 'AKIDEXAMPLE'): string {
  return `AWS4-HMAC-SHA256 Credential=${key}/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

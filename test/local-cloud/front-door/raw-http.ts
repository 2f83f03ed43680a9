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
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, setHost: opts.headers?.host === undefined && opts.headers?.Host === undefined },
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

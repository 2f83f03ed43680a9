import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Ask the global entry (CloudFront or the latency-routed name) which region serves a client.
 * Through a custom endpoint the request goes to the endpoint with the record name as Host and the
 * client's address in X-Forwarded-For (how the local cloud places clients); on AWS it is a plain
 * HTTPS request from wherever regionctl runs. The `hello` function names its region in the body.
 */
export async function globalEntryRegion(opts: { endpoint?: string; name: string; clientIp?: string; timeoutMs?: number }): Promise<{ region?: string; status?: number; error?: string }> {
  const target = opts.endpoint ? new URL('/hello', opts.endpoint) : new URL(`https://${opts.name}/hello`);
  const headers: Record<string, string> = { 'cache-control': 'no-cache' };
  if (opts.endpoint) {
    headers.host = opts.name;
    if (opts.clientIp) headers['x-forwarded-for'] = opts.clientIp;
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(target, { method: 'GET', headers, timeout: opts.timeoutMs ?? 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        const fromHeader = res.headers['x-regionctl-region'];
        const fromBody = /executed successfully in ([a-z]{2}(?:-[a-z]+)+-\d)/.exec(body)?.[1];
        resolve({ region: (typeof fromHeader === 'string' ? fromHeader : undefined) ?? fromBody, status: res.statusCode });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
}

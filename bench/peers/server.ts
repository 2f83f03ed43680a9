// The peers and the floor of the throughput benchmarks, each run as a process of its own (as the
// local cloud daemon is), so the load generator never shares their event loop:
//   node --import tsx bench/peers/server.ts dynalite
//   node --import tsx bench/peers/server.ts s3rver <dir>
//   node --import tsx bench/peers/server.ts floor <hello.zip>
// Each prints one line {"port": N} on stdout once it listens on 127.0.0.1, and runs until killed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';

const [kind, arg] = process.argv.slice(2);
const ready = (port: number) => console.log(JSON.stringify({ port }));

if (kind === 'dynalite') {
  const { default: dynalite } = (await import('dynalite' as string)) as { default: (o: object) => import('node:http').Server };
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
} else if (kind === 's3rver') {
  const { default: S3rver } = (await import('s3rver' as string)) as { default: new (o: object) => { run(): Promise<AddressInfo> } };
  // Its defaults: filesystem store in `directory`, SigV4 verified with the S3RVER/S3RVER key pair.
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: arg, configureBuckets: [{ name: 'bench' }] });
  const address = await s3.run();
  ready(address.port);
} else if (kind === 'floor') {
  // The floor of API Gateway → Lambda: a bare node:http server calling the very handler the local
  // cloud runs (the zip `regionctl synth` built), with the same proxy event, in-process.
  const files = unzipSync(readFileSync(arg));
  const dir = mkdtempSync(join(tmpdir(), 'regionctl-bench-floor-'));
  writeFileSync(join(dir, 'index.cjs'), files['index.js']);
  const { handler } = createRequire(import.meta.url)(join(dir, 'index.cjs')) as { handler: (e: object) => Promise<{ statusCode: number; headers?: Record<string, string>; body: string }> };
  rmSync(dir, { recursive: true, force: true }); // loaded: the copy is no longer needed
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const result = await handler({
        httpMethod: req.method,
        path: url.pathname,
        headers: req.headers,
        queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : null,
        body: chunks.length ? Buffer.concat(chunks).toString('utf8') : null,
      });
      res.writeHead(result.statusCode, result.headers ?? {});
      res.end(result.body);
    });
  });
  server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
} else {
  console.error(`unknown server ${kind}`);
  process.exit(2);
}

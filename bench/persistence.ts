// Cost of making every acknowledged write durable (issue 7, defect 5): a sequential PutItem and
// GetItem loop against an in-process local cloud with a data dir, for tables of several sizes.
// Run: node --import tsx bench/persistence.ts [sizes...]   (compare a checkout of main the same way)
// LABEL=name writes bench/results/persistence-<name>.json too (with the WAL bytes one PutItem appends).
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/local-cloud/clock.js';
import { createDynamoDbService } from '../src/local-cloud/dynamodb/index.js';
import { startLocalCloud } from '../src/local-cloud/server.js';

const sizes = process.argv.slice(2).map(Number);
const results: Record<string, unknown>[] = [];
const walBytes = (dir: string): number => {
  try {
    return statSync(join(dir, 'state.wal')).size;
  } catch {
    return 0;
  }
};
const LOOP = Number(process.env.LOOP ?? 300);
const payload = 'x'.repeat(100);

for (const size of sizes.length ? sizes : [0, 2000, 20000]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'regionctl-bench-state-'));
  const cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), dataDir, services: [createDynamoDbService] });
  const ddb = new DynamoDBClient({ endpoint: cloud.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  await ddb.send(new CreateTableCommand({ TableName: 'bench', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  for (let i = 0; i < size; i += 25) {
    const batch = Array.from({ length: Math.min(25, size - i) }, (_, j) => ({ PutRequest: { Item: { id: { S: `pre-${i + j}` }, p: { S: payload } } } }));
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { bench: batch } }));
  }
  await new Promise((r) => setTimeout(r, 1500)); // let the background commit of the fill run
  const walBefore = walBytes(dataDir);
  await ddb.send(new PutItemCommand({ TableName: 'bench', Item: { id: { S: 'one' }, p: { S: payload } } }));
  const onePutWalBytes = walBytes(dataDir) - walBefore;
  let t = performance.now();
  for (let i = 0; i < LOOP; i++) await ddb.send(new PutItemCommand({ TableName: 'bench', Item: { id: { S: `k${i}` }, p: { S: payload } } }));
  const put = (performance.now() - t) / LOOP;
  t = performance.now();
  for (let i = 0; i < LOOP; i++) await ddb.send(new GetItemCommand({ TableName: 'bench', Key: { id: { S: `k${i}` } } }));
  const get = (performance.now() - t) / LOOP;
  t = performance.now();
  await Promise.all(Array.from({ length: LOOP }, (_, i) => ddb.send(new PutItemCommand({ TableName: 'bench', Item: { id: { S: `c${i}` }, p: { S: payload } } }))));
  const concurrent = (performance.now() - t) / LOOP;
  const result = { items: size, putMs: +put.toFixed(2), getMs: +get.toFixed(2), concurrentPutMsEach: +concurrent.toFixed(2), onePutWalBytes };
  results.push(result);
  console.log(JSON.stringify(result));
  ddb.destroy();
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
if (process.env.LABEL) {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `persistence-${process.env.LABEL}.json`), JSON.stringify({ name: 'persistence', label: process.env.LABEL, at: new Date().toISOString(), node: process.version, loop: LOOP, results }, null, 2) + '\n');
}

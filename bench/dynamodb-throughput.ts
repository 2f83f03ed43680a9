// Local cloud DynamoDB vs dynalite: PutItem, GetItem and Query requests per second, replayed by
// autocannon (requests signed once by the SDK, see load.ts). The local cloud is a daemon as users
// start it (with its data dir); dynalite runs in its own process with its defaults (in memory).
// Goal: the local cloud serves at least 2× dynalite's rate on each operation.
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { capture, capturingHandler, compareThroughput, startPeer, type WireRequest } from './load.js';
import { project, save, startDaemon } from './lib.js';

const CONNECTIONS = 16;
const SECONDS = 1.5;
const ITEMS = 64;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

async function prepare(endpoint: string): Promise<Record<'PutItem' | 'GetItem' | 'Query', WireRequest[]>> {
  const real = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
  const signer = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1, requestHandler: capturingHandler });
  await real.send(
    new CreateTableCommand({
      TableName: 'bench',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    }),
  );
  await new Promise((r) => setTimeout(r, 100)); // dynalite creates tables asynchronously even at 0 ms
  const item = (i: number) => ({ pk: { S: `p${i % 8}` }, sk: { S: `s${i}` }, n: { N: String(i) }, body: { S: 'x'.repeat(200) } });
  for (let i = 0; i < ITEMS; i++) await real.send(new PutItemCommand({ TableName: 'bench', Item: item(i) }));
  const reqs = {
    PutItem: await Promise.all(Array.from({ length: ITEMS }, (_, i) => capture(signer, new PutItemCommand({ TableName: 'bench', Item: item(i) })))),
    GetItem: await Promise.all(Array.from({ length: ITEMS }, (_, i) => capture(signer, new GetItemCommand({ TableName: 'bench', Key: { pk: item(i).pk, sk: item(i).sk } })))),
    // 8 items per partition
    Query: await Promise.all(Array.from({ length: 8 }, (_, i) => capture(signer, new QueryCommand({ TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `p${i}` } } })))),
  };
  real.destroy();
  return reqs;
}

const p = project();
const daemon = await startDaemon(p.dir);
const peer = await startPeer('dynalite');
try {
  const ours = await prepare(daemon.url);
  const theirs = await prepare(peer.url);
  const ops = ['PutItem', 'GetItem', 'Query'] as const;
  const { rate, ratios, worst, measured, cpuMicrosPerRequest } = await compareThroughput({ ops, ours: { url: daemon.url, requests: ours, pid: daemon.pid }, theirs: { url: peer.url, requests: theirs, pid: peer.pid }, peerLabel: 'Dynalite', connections: CONNECTIONS, seconds: SECONDS });
  save({
    name: 'dynamodb-throughput',
    figure: 'local cloud DynamoDB vs dynalite, requests/s (worst of PutItem/GetItem/Query)',
    unit: 'requests/s',
    runs: rate,
    ratio: worst,
    goal: { op: '>=', value: 2 },
    measured,
    extra: { ratios, cpuMicrosPerRequest, connections: CONNECTIONS, secondsPerRun: SECONDS, localCloud: 'daemon (regionctl local start) with its data dir', peer: 'dynalite 4, in memory, own process' },
  });
} finally {
  peer.stop();
  await daemon.stop();
  p.remove();
}

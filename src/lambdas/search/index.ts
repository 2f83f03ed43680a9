import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ProxyEvent, ProxyResult } from '../api-gateway.js';

let dynamodb: DynamoDBClient | undefined;

const json = (statusCode: number, body: unknown): ProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

/** GET /search?q=: this region's view of the objects whose key contains q (case-insensitive). */
export async function handler(event: ProxyEvent): Promise<ProxyResult> {
  const q = event.queryStringParameters?.q;
  if (q === undefined || q === null) return json(400, { message: 'missing query parameter q (GET /search?q=<text>)' });
  const table = process.env.VIEW_TABLE;
  if (!table) return json(500, { message: 'VIEW_TABLE is not set' });
  dynamodb ??= new DynamoDBClient({});
  const items: Array<Record<string, AttributeValue>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: table,
        ...(q.length > 0 ? { FilterExpression: 'contains(#s, :q)', ExpressionAttributeNames: { '#s': 'search' }, ExpressionAttributeValues: { ':q': { S: q.toLowerCase() } } } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < 1000);
  const results = items
    .map((i) => ({ key: i.key?.S ?? '', origin: i.origin?.S ?? '', contentType: i.contentType?.S ?? '', size: Number(i.size?.N ?? 0) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return json(200, { region: process.env.AWS_REGION, query: q, count: results.length, results });
}

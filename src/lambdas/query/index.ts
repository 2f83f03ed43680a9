import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall, type Item } from '../things/attributes.js';

let client: DynamoDBClient | undefined;
const dynamodb = (): DynamoDBClient => (client ??= new DynamoDBClient({}));

/** `{id, consistent?}`: the thing in this region's replica (null when absent); `{}`: up to `limit` things. */
export async function handler(input: { id?: string; consistent?: boolean; limit?: number } | null): Promise<Record<string, unknown>> {
  const region = process.env.AWS_REGION ?? '';
  if (input?.id) {
    const out = await dynamodb().send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: input.id } }, ConsistentRead: input.consistent === true }));
    return { region, item: unmarshall(out.Item as Item | undefined) ?? null };
  }
  const out = await dynamodb().send(new ScanCommand({ TableName: process.env.TABLE_NAME, Limit: Math.min(Math.max(input?.limit ?? 50, 1), 1000) }));
  return { region, items: (out.Items ?? []).map((i) => unmarshall(i as Item)) };
}

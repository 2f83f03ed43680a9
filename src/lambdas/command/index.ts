import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { LATCH, marshall, ORIGIN } from '../things/attributes.js';

let client: DynamoDBClient | undefined;
const dynamodb = (): DynamoDBClient => (client ??= new DynamoDBClient({}));

/** `{id?, delete?, ...attributes}`: writes the thing (a new id when none), or deletes it. */
export async function handler(input: Record<string, unknown> | null): Promise<Record<string, unknown>> {
  const region = process.env.AWS_REGION ?? '';
  const { id: given, delete: remove, ...attributes } = input ?? {};
  const id = typeof given === 'string' && given !== '' ? given : randomUUID();
  if (remove === true) {
    await dynamodb().send(new DeleteItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: id } } }));
    console.log(JSON.stringify({ deleted: id }));
    return { id, deleted: true, region };
  }
  // Every write is stamped with the region it was made in, latch open: the trigger in this region
  // (and only there) publishes it.
  const item = { ...attributes, id, [ORIGIN]: region, [LATCH]: 'open', updatedAt: new Date().toISOString() };
  await dynamodb().send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: marshall(item) as Record<string, AttributeValue> }));
  console.log(JSON.stringify({ wrote: id }));
  return { id, region, item };
}

import { DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '../things/attributes.js';
import type { ThingEvent } from '../trigger/filter.js';
import { decide } from './apply.js';

let client: DynamoDBClient | undefined;
const dynamodb = (): DynamoDBClient => (client ??= new DynamoDBClient({}));

interface SnsEvent {
  Records: { Sns: { Message: string; MessageId: string } }[];
}

export async function handler(event: SnsEvent): Promise<{ applied: number; skipped: number }> {
  const region = process.env.AWS_REGION ?? '';
  let applied = 0;
  let skipped = 0;
  for (const record of event.Records) {
    const thing = JSON.parse(record.Sns.Message) as ThingEvent;
    const decision = decide(thing, process.env.EVENT_SOURCE ?? '', region);
    if ('skip' in decision) {
      skipped++;
      console.log(JSON.stringify({ skipped: thing.id, why: decision.skip }));
      continue;
    }
    await dynamodb().send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: marshall(decision.write) as Record<string, AttributeValue> }));
    applied++;
    console.log(JSON.stringify({ applied: thing.id, partitionKey: thing.partitionKey }));
  }
  return { applied, skipped };
}

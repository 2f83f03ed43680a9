import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { shouldPublish, toEvent, type StreamRecord } from './filter.js';

let client: SNSClient | undefined;
const sns = (): SNSClient => (client ??= new SNSClient({}));

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

// The mapping reports batch item failures: records are published one by one, in stream order, and
// a failed publish reports that record, so the mapping retries from it and never republishes the ones
// before it (one event per write, even across retries).
export async function handler(event: { Records: StreamRecord[] }): Promise<BatchResponse> {
  const region = process.env.AWS_REGION ?? '';
  const topicArn = process.env.TOPIC_ARN ?? '';
  const source = process.env.EVENT_SOURCE ?? '';
  // One log line per batch listing what was published (drills count events from it; a line per event
  // would soon outgrow what a log keeps, and costs a write each).
  const published: { id: string; key: string; type: string }[] = [];
  const report = () => {
    if (published.length > 0) console.log(JSON.stringify({ published }));
  };
  for (const record of event.Records) {
    if (!shouldPublish(record, region)) continue;
    const thing = toEvent(record, region, source);
    try {
      await sns().send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(thing),
          MessageAttributes: { type: { DataType: 'String', StringValue: thing.type }, source: { DataType: 'String', StringValue: source } },
        }),
      );
    } catch (error) {
      report();
      console.log(JSON.stringify({ failed: thing.id, partitionKey: thing.partitionKey, error: (error as Error).message }));
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb.SequenceNumber }] };
    }
    published.push({ id: thing.id, key: thing.partitionKey, type: thing.type });
  }
  report();
  return { batchItemFailures: [] };
}

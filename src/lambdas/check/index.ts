import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ProxyEvent, ProxyResult } from '../api-gateway.js';
import { probe } from './probe.js';

let client: DynamoDBClient | undefined;

// One client per container, created on first use so it sees the function's environment.
// Region comes from AWS_REGION and the endpoint from AWS_ENDPOINT_URL, both read by the SDK itself.
// A 1 s budget per call: a region whose DynamoDB is slow is unhealthy, not merely late.
// Since @smithy/node-http-handler 4.x an exceeded requestTimeout only logs a warning unless
// throwOnRequestTimeout is set; without it a hung endpoint holds the check until the Lambda timeout.
function dynamodb(): DynamoDBClient {
  client ??= new DynamoDBClient({
    maxAttempts: 2,
    requestHandler: { requestTimeout: 1000, connectionTimeout: 1000, throwOnRequestTimeout: true },
  });
  return client;
}

export async function handler(_event: ProxyEvent): Promise<ProxyResult> {
  const table = process.env.TABLE_NAME;
  return probe({
    env: process.env,
    now: Date.now,
    read: async (id) => {
      if (!table) throw new Error('TABLE_NAME is not set');
      const out = await dynamodb().send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }));
      return out.Item;
    },
    write: async (id, timestamp) => {
      if (!table) throw new Error('TABLE_NAME is not set');
      await dynamodb().send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, timestamp: { S: timestamp } } }));
    },
  });
}

import type { JsonOp } from '../../protocols/json.js';
import type { DynamoDbStreams } from './domain.js';

// DynamoDB Streams operations (X-Amz-Target DynamoDBStreams_20120810.<Op>); the domain does the work.
export function streamsOps(streams: DynamoDbStreams): Record<string, JsonOp> {
  const op =
    <I, O>(fn: (region: string, input: I) => O): JsonOp =>
    async (input, req) =>
      fn.call(streams, req.region, input as I);
  return {
    ListStreams: op(streams.listStreams),
    DescribeStream: op(streams.describeStream),
    GetShardIterator: op(streams.getShardIterator),
    GetRecords: op(streams.getRecords),
  };
}

import type { JsonOp } from '../protocols/json.js';
import type { DynamoDbDomain } from './domain.js';

// Operation name → domain method. The wire adapter only forwards: all behaviour is in the domain.
export function dynamoDbOps(domain: DynamoDbDomain): Record<string, JsonOp> {
  const op =
    <I, O>(fn: (region: string, input: I) => O): JsonOp =>
    async (input, req) =>
      fn.call(domain, req.region, input as I);
  return {
    CreateTable: op(domain.createTable),
    DescribeTable: op(domain.describeTable),
    DeleteTable: op(domain.deleteTable),
    ListTables: op(domain.listTables),
    UpdateTable: op(domain.updateTable),
    PutItem: op(domain.putItem),
    GetItem: op(domain.getItem),
    UpdateItem: op(domain.updateItem),
    DeleteItem: op(domain.deleteItem),
    Query: op(domain.query),
    Scan: op(domain.scan),
    BatchWriteItem: op(domain.batchWriteItem),
    BatchGetItem: op(domain.batchGetItem),
    TagResource: op(domain.tagResource),
    UntagResource: op(domain.untagResource),
    ListTagsOfResource: op(domain.listTagsOfResource),
    DescribeContinuousBackups: op(domain.describeContinuousBackups),
    DescribeTimeToLive: op((region: string, input: { TableName: string }) => {
      domain.table(region, input.TableName, true);
      return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
    }),
  };
}

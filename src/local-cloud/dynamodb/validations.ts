// DynamoDB's per-operation input constraints, checked at the wire before the domain runs, with the
// texts DynamoDB answers (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html,
// and each operation's Request Parameters: ListTables Limit 1–100, Scan Segment 0–999999 and
// TotalSegments 1–1000000, Query/Scan Limit ≥ 1, Key and Item required). Checks that depend on
// the table (key schema, expressions) stay in the domain.
import type { z } from 'zod';
import { awsInput, awsInteger, awsRequired, awsString } from '../protocols/validation.js';

const TABLE_NAME = awsString({ pattern: [/^[a-zA-Z0-9_.-]+$/, '[a-zA-Z0-9_.-]+'], min: 3, max: 255 });
const keyed = awsInput({ Key: awsRequired() });

export const dynamoDbValidations: Record<string, z.ZodType> = {
  ListTables: awsInput({ ExclusiveStartTableName: TABLE_NAME.optional(), Limit: awsInteger({ min: 1, max: 100 }).optional() }),
  PutItem: awsInput({ Item: awsRequired() }),
  GetItem: keyed,
  UpdateItem: keyed,
  DeleteItem: keyed,
  Query: awsInput({ Limit: awsInteger({ min: 1 }).optional() }),
  Scan: awsInput({
    Limit: awsInteger({ min: 1 }).optional(),
    Segment: awsInteger({ min: 0, max: 999999 }).optional(),
    TotalSegments: awsInteger({ min: 1, max: 1000000 }).optional(),
  }),
};

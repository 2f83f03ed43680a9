// CloudWatch Logs' per-operation input constraints, checked at the wire before the domain runs.
// Logs refuses a broken constraint with InvalidParameterException and the usual text ("1 validation
// error detected: Value '' at 'logGroupNamePrefix' failed to satisfy constraint: Member must have
// length greater than or equal to 1"). Constraints are each operation's Request Parameters:
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html,
// API_DeleteLogGroup, API_DescribeLogGroups, API_PutRetentionPolicy, API_DeleteRetentionPolicy,
// API_FilterLogEvents. The retention values allowed are checked by the domain (its own message).
import { z } from 'zod';
import { awsEnum, awsInput, awsInteger, awsString } from '../protocols/validation.js';

export const LOGS_VALIDATION = 'InvalidParameterException';

const GROUP = '[\\.\\-_/#A-Za-z0-9]+';
const LOG_GROUP_NAME = awsString({ pattern: [/^[.\-_/#A-Za-z0-9]+$/, GROUP], min: 1, max: 512 });
const NEXT_TOKEN = awsString({ min: 1 });
const tags = z.record(awsString({ pattern: [/^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$/u, '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$'], min: 1, max: 128 }), awsString({ max: 256 }));

export const logsInputs = {
  CreateLogGroup: awsInput({
    logGroupName: LOG_GROUP_NAME,
    kmsKeyId: awsString({ max: 256 }).optional(),
    tags: tags.optional(),
    logGroupClass: awsEnum(['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY']).optional(),
  }),
  DeleteLogGroup: awsInput({ logGroupName: LOG_GROUP_NAME }),
  DescribeLogGroups: awsInput({
    logGroupNamePrefix: LOG_GROUP_NAME.optional(),
    nextToken: NEXT_TOKEN.optional(),
    limit: awsInteger({ min: 1, max: 50 }).optional(),
  }),
  PutRetentionPolicy: awsInput({ logGroupName: LOG_GROUP_NAME, retentionInDays: awsInteger() }),
  DeleteRetentionPolicy: awsInput({ logGroupName: LOG_GROUP_NAME }),
  FilterLogEvents: awsInput({
    logGroupName: LOG_GROUP_NAME,
    logStreamNames: z.array(z.string()).optional(),
    startTime: awsInteger({ min: 0 }).optional(),
    endTime: awsInteger({ min: 0 }).optional(),
    filterPattern: awsString({ max: 1024 }).optional(),
    nextToken: NEXT_TOKEN.optional(),
    limit: awsInteger({ min: 1, max: 10000 }).optional(),
  }),
};

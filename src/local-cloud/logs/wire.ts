// awsJson1_1 adapter for CloudWatch Logs (X-Amz-Target: Logs_20140328.*): each operation parses its
// input with its schema (validations.ts), then calls the domain.

import { AwsError } from '../aws-error.js';
import type { z } from 'zod';
import type { JsonOp } from '../protocols/json.js';
import { withInput } from '../protocols/validation.js';
import type { CloudRequest } from '../types.js';
import type { Logs } from './domain.js';
import { LOGS_VALIDATION, logsInputs as inputs } from './validations.js';

const op = <S extends z.ZodType>(schema: S, fn: (input: z.output<S>, req: CloudRequest) => unknown): JsonOp =>
  withInput(schema, async (input: z.output<S>, req: CloudRequest) => fn(input, req), LOGS_VALIDATION);

export function logsOps(logs: Logs): Record<string, JsonOp> {
  return {
    CreateLogGroup: op(inputs.CreateLogGroup, (i, req) => {
      logs.createLogGroup(req.region, i.logGroupName, { tags: i.tags });
      return {};
    }),
    DeleteLogGroup: op(inputs.DeleteLogGroup, (i, req) => {
      logs.deleteLogGroup(req.region, i.logGroupName);
      return {};
    }),
    DescribeLogGroups: op(inputs.DescribeLogGroups, (i, req) => {
      const limit = i.limit ?? 50;
      return {
        logGroups: logs.describeLogGroups(req.region, i.logGroupNamePrefix).slice(0, limit).map((g) => ({
          logGroupName: g.logGroupName,
          creationTime: g.creationTime,
          retentionInDays: g.retentionInDays,
          metricFilterCount: 0,
          arn: logs.arn(req.region, g.logGroupName),
          logGroupArn: logs.arn(req.region, g.logGroupName).replace(/:\*$/, ''),
          storedBytes: g.lines.reduce((n, l) => n + Buffer.byteLength(l.message), 0),
        })),
      };
    }),
    PutRetentionPolicy: op(inputs.PutRetentionPolicy, (i, req) => {
      logs.putRetentionPolicy(req.region, i.logGroupName, i.retentionInDays);
      return {};
    }),
    DeleteRetentionPolicy: op(inputs.DeleteRetentionPolicy, (i, req) => {
      logs.deleteRetentionPolicy(req.region, i.logGroupName);
      return {};
    }),
    FilterLogEvents: op(inputs.FilterLogEvents, (i, req) => {
      const limit = i.limit ?? 10_000;
      // Oldest first, a page at a time; the token is where the next page starts among the matches.
      const from = i.nextToken === undefined ? 0 : Number(i.nextToken);
      if (!Number.isInteger(from) || from < 0) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.', 400);
      const matches = logs.lines(req.region, i.logGroupName, { startTime: i.startTime, endTime: i.endTime, contains: i.filterPattern ? i.filterPattern.replace(/^"|"$/g, '') : undefined });
      return {
        events: matches.slice(from, from + limit).map((l, n) => ({ logStreamName: 'local', timestamp: l.timestamp, ingestionTime: l.timestamp, message: l.message, eventId: String(from + n) })),
        ...(from + limit < matches.length ? { nextToken: String(from + limit) } : {}),
        searchedLogStreams: [],
      };
    }),
  };
}

// awsJson1_1 adapter for CloudWatch Logs (X-Amz-Target: Logs_20140328.*).

import { AwsError } from '../aws-error.js';
import type { JsonOp } from '../protocols/json.js';
import type { Logs } from './domain.js';

export function logsOps(logs: Logs): Record<string, JsonOp> {
  return {
    CreateLogGroup: async (i, req) => {
      logs.createLogGroup(req.region, i.logGroupName, { tags: i.tags });
      return {};
    },
    DeleteLogGroup: async (i, req) => {
      logs.deleteLogGroup(req.region, i.logGroupName);
      return {};
    },
    DescribeLogGroups: async (i, req) => {
      const limit = i.limit === undefined ? 50 : Number(i.limit);
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
    },
    PutRetentionPolicy: async (i, req) => {
      if (typeof i.retentionInDays !== 'number') throw new AwsError('InvalidParameterException', 'retentionInDays must be a number', 400);
      logs.putRetentionPolicy(req.region, i.logGroupName, i.retentionInDays);
      return {};
    },
    DeleteRetentionPolicy: async (i, req) => {
      logs.deleteRetentionPolicy(req.region, i.logGroupName);
      return {};
    },
    FilterLogEvents: async (i, req) => {
      const limit = i.limit ?? 10_000;
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${String(i.limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000`, 400);
      // Oldest first, a page at a time; the token is where the next page starts among the matches.
      const from = i.nextToken === undefined ? 0 : Number(i.nextToken);
      if (!Number.isInteger(from) || from < 0) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.', 400);
      const matches = logs.lines(req.region, i.logGroupName, { startTime: i.startTime, endTime: i.endTime, contains: i.filterPattern ? String(i.filterPattern).replace(/^"|"$/g, '') : undefined });
      return {
        events: matches.slice(from, from + limit).map((l, n) => ({ logStreamName: 'local', timestamp: l.timestamp, ingestionTime: l.timestamp, message: l.message, eventId: String(from + n) })),
        ...(from + limit < matches.length ? { nextToken: String(from + limit) } : {}),
        searchedLogStreams: [],
      };
    },
  };
}

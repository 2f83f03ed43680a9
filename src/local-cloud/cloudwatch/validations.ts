// CloudWatch's per-operation input constraints, checked at the wire (both protocols) before the
// domain runs, with the limits of each action's Request Parameters:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
//   (Namespace 1–255 not starting with ':', MetricData ≤ 1000 items, MetricName 1–255, ≤ 30 Dimensions,
//   Dimension Name 1–255 and Value 1–1024, Values / Counts ≤ 150 items)
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
//   (MetricDataQueries ≤ 500, Id 1–255 matching ^[a-z][a-zA-Z0-9_]*$, ScanBy enum)
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
//   (AlarmName 1–255, AlarmDescription ≤ 1024, ≤ 5 actions per state, ≤ 30 Dimensions)
// Broken constraints answer 400 ValidationError listing each, as AWS's awsQuery services word them
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html); the oversized
// MetricData collection answers InvalidParameterValue, as CloudWatch does.
import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import { awsEnum, awsInput, awsString, validateInput } from '../protocols/validation.js';

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `Member must have length less than or equal to ${max}`);
const dimension = awsInput({ Name: awsString({ min: 1, max: 255 }), Value: awsString({ min: 1, max: 1024 }) });
const dimensions = list(dimension, 30).optional();
const actions = list(awsString({ min: 1, max: 1024 }), 5).optional();

export const MAX_METRIC_DATA = 1000;

const schemas: Record<string, z.ZodType> = {
  PutMetricData: awsInput({
    Namespace: awsString({ pattern: [/^[^:][\s\S]*$/, '[^:].*'], min: 1, max: 255 }),
    MetricData: z.array(
      awsInput({
        MetricName: awsString({ min: 1, max: 255 }),
        Dimensions: dimensions,
        Values: list(z.unknown(), 150).optional(),
        Counts: list(z.unknown(), 150).optional(),
      }),
    ),
  }),
  GetMetricData: awsInput({
    MetricDataQueries: list(awsInput({ Id: awsString({ pattern: [/^[a-z][a-zA-Z0-9_]*$/, '^[a-z][a-zA-Z0-9_]*$'], min: 1, max: 255 }) }), 500),
    ScanBy: awsEnum(['TimestampDescending', 'TimestampAscending']).optional(),
  }),
  PutMetricAlarm: awsInput({
    AlarmName: awsString({ min: 1, max: 255 }),
    AlarmDescription: awsString({ max: 1024 }).optional(),
    AlarmActions: actions,
    OKActions: actions,
    InsufficientDataActions: actions,
    Dimensions: dimensions,
  }),
};

const missing = (field: string) => new AwsError('MissingParameter', `The parameter ${field} is required.`, 400);

/** The operation's input checked against its constraints; the input itself (unchanged) when it passes. */
export function checkInput(op: string, input: Record<string, unknown>): Record<string, unknown> {
  const schema = Object.hasOwn(schemas, op) ? schemas[op] : undefined;
  if (!schema) return input;
  // A missing required member is MissingParameter in CloudWatch, named as the API names it.
  for (const field of { PutMetricData: ['Namespace', 'MetricData'], GetMetricData: ['MetricDataQueries', 'StartTime', 'EndTime'], PutMetricAlarm: ['AlarmName'] }[op] ?? [])
    if (input[field] === undefined || input[field] === '') throw missing(field);
  if (op === 'PutMetricData' && Array.isArray(input.MetricData) && input.MetricData.length > MAX_METRIC_DATA)
    throw new AwsError('InvalidParameterValue', `The collection MetricData must not have a size greater than ${MAX_METRIC_DATA}.`, 400);
  validateInput(schema, input, 'ValidationError');
  return input;
}

// Event-source mapping inputs and the checks Lambda makes on their tuning members
// (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
import { AwsError } from '../../aws-error.js';

export interface CreateMappingInput {
  FunctionName?: string;
  EventSourceArn?: string;
  Enabled?: boolean;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  StartingPosition?: string;
  StartingPositionTimestamp?: number;
  MaximumRetryAttempts?: number;
  MaximumRecordAgeInSeconds?: number;
  BisectBatchOnFunctionError?: boolean;
  FunctionResponseTypes?: string[];
  ParallelizationFactor?: number;
  TumblingWindowInSeconds?: number;
  DestinationConfig?: { OnFailure?: { Destination?: string } };
  FilterCriteria?: unknown;
}

export type UpdateMappingInput = Omit<CreateMappingInput, 'EventSourceArn' | 'StartingPosition' | 'StartingPositionTimestamp'>;

export const user = (code: string, message: string, status = 400) => new AwsError(code, message, status, true, { Type: 'User' });
export const range = (value: number, field: string, min: number, max: number): void => {
  if (!Number.isInteger(value) || value < min)
    throw new AwsError('ValidationException', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw new AwsError('ValidationException', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
};

/** The tuning members of Create/UpdateEventSourceMapping, in Lambda's order and words; unsupported features refused by name. */
export function validateTuning(input: UpdateMappingInput): void {
  if (input.BatchSize !== undefined) range(input.BatchSize, 'batchSize', 1, 10000);
  if (input.MaximumBatchingWindowInSeconds !== undefined) range(input.MaximumBatchingWindowInSeconds, 'maximumBatchingWindowInSeconds', 0, 300);
  if (input.MaximumRetryAttempts !== undefined) range(input.MaximumRetryAttempts, 'maximumRetryAttempts', -1, 10000);
  if (input.MaximumRecordAgeInSeconds !== undefined) {
    range(input.MaximumRecordAgeInSeconds, 'maximumRecordAgeInSeconds', -1, 604800);
    if (input.MaximumRecordAgeInSeconds !== -1 && input.MaximumRecordAgeInSeconds < 60)
      throw user('InvalidParameterValueException', 'MaximumRecordAgeInSeconds must be -1 (infinite) or between 60 and 604800 seconds.');
  }
  for (const type of input.FunctionResponseTypes ?? [])
    if (type !== 'ReportBatchItemFailures')
      throw new AwsError('ValidationException', `1 validation error detected: Value '[${type}]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]`);
  if (input.ParallelizationFactor !== undefined && input.ParallelizationFactor !== 1)
    throw user('InvalidParameterValueException', 'The local cloud processes each shard with ParallelizationFactor 1 only.');
  if (input.TumblingWindowInSeconds !== undefined && input.TumblingWindowInSeconds !== 0)
    throw user('InvalidParameterValueException', 'The local cloud does not implement tumbling windows (TumblingWindowInSeconds).');
  if (input.FilterCriteria !== undefined)
    throw user('InvalidParameterValueException', 'The local cloud does not implement event filtering (FilterCriteria) for event-source mappings.');
  if (input.DestinationConfig?.OnFailure?.Destination)
    throw user('InvalidParameterValueException', 'The local cloud does not implement on-failure destinations for event-source mappings.');
}

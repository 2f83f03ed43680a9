// A new event-source mapping: the checks Lambda makes on its DynamoDB stream source before it
// exists, and its record with Lambda's defaults.
import { randomUUID } from 'node:crypto';
import { dict } from '../../keyed.js';
import type { DynamoDbStreams } from '../../dynamodb/streams/domain.js';
import type { MappingRecord } from './model.js';
import { user, type CreateMappingInput } from './validations.js';

/** How long a mapping stays Creating/Updating/Enabling/Disabling/Deleting (local choice; AWS takes seconds to minutes). */
export const TRANSITION_MS = 5_000;
const STREAM_ARN = /^arn:aws:dynamodb:([a-z0-9-]+):\d{12}:table\/[^/]+\/stream\/.+$/;

type StartingPosition = MappingRecord['startingPosition'];

/**
 * The source must be an enabled DynamoDB stream of the mapping's own region, read from a starting
 * position Lambda supports for streams; answers that position, or Lambda's error.
 */
export function checkStreamSource(region: string, source: string, streams: DynamoDbStreams | undefined, startingPosition: string | undefined): StartingPosition {
  const streamRegion = STREAM_ARN.exec(source)?.[1];
  if (!streamRegion) throw user('InvalidParameterValueException', `The local cloud supports DynamoDB stream event sources only, not ${source || '(none)'}.`);
  const cannotAccess = user(
    'InvalidParameterValueException',
    `Cannot access stream ${source}. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream.`,
  );
  if (streamRegion !== region) throw cannotAccess;
  let enabledStream = false;
  try {
    enabledStream = streams?.describeStream(region, { StreamArn: source }).StreamDescription.StreamStatus === 'ENABLED';
  } catch {
    enabledStream = false;
  }
  if (!enabledStream) throw cannotAccess;
  if (startingPosition === undefined) throw user('InvalidParameterValueException', 'StartingPosition is required for DynamoDB stream event sources.');
  if (startingPosition !== 'TRIM_HORIZON' && startingPosition !== 'LATEST')
    throw user('InvalidParameterValueException', `Unsupported starting position ${startingPosition} for DynamoDB stream event sources: use TRIM_HORIZON or LATEST.`);
  return startingPosition;
}

/** The record of a mapping just created (state Creating until TRANSITION_MS has passed). */
export function newMapping(region: string, functionArn: string, source: string, startingPosition: StartingPosition, input: CreateMappingInput, now: number): MappingRecord {
  return {
    uuid: randomUUID(),
    region,
    functionArn,
    eventSourceArn: source,
    batchSize: input.BatchSize ?? 100,
    maximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? 0,
    startingPosition,
    maximumRetryAttempts: input.MaximumRetryAttempts ?? -1,
    maximumRecordAgeInSeconds: input.MaximumRecordAgeInSeconds ?? -1,
    bisectBatchOnFunctionError: input.BisectBatchOnFunctionError === true,
    functionResponseTypes: [...(input.FunctionResponseTypes ?? [])],
    enabled: input.Enabled !== false,
    state: 'Creating',
    stateTransitionReason: 'USER_INITIATED',
    transitionAt: now + TRANSITION_MS,
    lastModified: now,
    lastProcessingResult: 'No records processed',
    checkpoints: dict(),
    positioned: false,
    attempts: 0,
    invocations: 0,
    discarded: [],
  };
}

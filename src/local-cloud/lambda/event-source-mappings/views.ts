// The EventSourceMappingConfiguration Lambda answers for a mapping (wire-shaped view of the record).
import type { MappingRecord } from './model.js';

/** Create/Get/Update/Delete/ListEventSourceMappings' configuration. */
export function mappingView(m: MappingRecord, arn: string): Record<string, unknown> {
  return {
    UUID: m.uuid,
    EventSourceMappingArn: arn,
    EventSourceArn: m.eventSourceArn,
    FunctionArn: m.functionArn,
    StartingPosition: m.startingPosition,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    ParallelizationFactor: 1,
    MaximumRetryAttempts: m.maximumRetryAttempts,
    MaximumRecordAgeInSeconds: m.maximumRecordAgeInSeconds,
    BisectBatchOnFunctionError: m.bisectBatchOnFunctionError,
    TumblingWindowInSeconds: 0,
    FunctionResponseTypes: [...m.functionResponseTypes],
    DestinationConfig: { OnFailure: {} },
    LastModified: m.lastModified / 1000,
    LastProcessingResult: m.lastProcessingResult,
    State: m.state,
    StateTransitionReason: m.stateTransitionReason,
  };
}

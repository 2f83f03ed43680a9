// The persisted shape of Lambda event-source mappings: their own document, apart from functions.

export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

export interface Discard {
  /** Cloud time (ms) the records were given up. */
  at: number;
  shardId: string;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  reason: 'RetryAttemptsExhausted' | 'RecordAgeExceeded' | 'Trimmed';
}

export interface MappingRecord {
  uuid: string;
  region: string;
  functionArn: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  functionResponseTypes: string[];
  /** What the mapping settles into once a transition ends. */
  enabled: boolean;
  state: MappingState;
  stateTransitionReason: string;
  /** Cloud time (ms) the current transition (Creating, Updating, Enabling, Disabling, Deleting) ends. */
  transitionAt?: number;
  lastModified: number;
  lastProcessingResult: string;
  /** Shard id → sequence number of the last record processed (or skipped); positions set when polling starts. */
  checkpoints: Record<string, string>;
  /** Polling has started once: starting positions are fixed (LATEST is taken then). */
  positioned: boolean;
  /** Failed attempts on the batch at the checkpoint. */
  attempts: number;
  /** A failed batch is retried as it was: records up to this sequence number only. */
  retryThrough?: string;
  /** Retry no earlier than this (cloud ms). */
  retryAt?: number;
  /** After a bisect: batches capped at `cap` records until the checkpoint passes `until`. */
  bisect?: { cap: number; until: string };
  /** Batches the function was given (successful or not). */
  invocations: number;
  /** Recent records given up (newest last, bounded). */
  discarded: Discard[];
}

export interface MappingsState {
  mappings: Record<string, MappingRecord>;
}

import { AwsError } from '../aws-error.js';

// CloudFormation's StackStatus enum (the model's order).
export const STACK_STATUSES: readonly string[] = [
  'CREATE_COMPLETE', 'CREATE_FAILED', 'CREATE_IN_PROGRESS', 'DELETE_COMPLETE', 'DELETE_FAILED', 'DELETE_IN_PROGRESS',
  'IMPORT_COMPLETE', 'IMPORT_IN_PROGRESS', 'IMPORT_ROLLBACK_COMPLETE', 'IMPORT_ROLLBACK_FAILED', 'IMPORT_ROLLBACK_IN_PROGRESS',
  'REVIEW_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'ROLLBACK_IN_PROGRESS', 'UPDATE_COMPLETE',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_FAILED', 'UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED', 'UPDATE_ROLLBACK_IN_PROGRESS',
];

// AWS validates list members against the enum before looking at any stack: an unknown status is a
// ValidationError, never an empty page (which a caller would read as "no stacks").
export function validateStackStatusFilter(filter: readonly string[]): void {
  if (filter.every((s) => STACK_STATUSES.includes(s))) return;
  throw new AwsError(
    'ValidationError',
    `1 validation error detected: Value '[${filter.join(', ')}]' at 'stackStatusFilter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${STACK_STATUSES.join(', ')}]]`,
  );
}

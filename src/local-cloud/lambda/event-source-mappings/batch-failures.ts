// Lambda's partial batch response for stream event sources (ReportBatchItemFailures).
import type { StoredRecord } from '../../dynamodb/streams/model.js';

/**
 * A partial batch response: undefined (whole batch succeeded), the lowest failed sequence number,
 * or 'invalid' (an empty, null or unknown itemIdentifier fails the whole batch).
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export function batchItemFailures(payload: string, records: StoredRecord[]): string | 'invalid' | undefined {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== 'object') return undefined;
  const failures = (body as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return undefined;
  if (!Array.isArray(failures)) return 'invalid';
  if (failures.length === 0) return undefined;
  const seqs = new Set(records.map((r) => r.seq));
  let lowest: bigint | undefined;
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !seqs.has(id)) return 'invalid';
    if (lowest === undefined || BigInt(id) < lowest) lowest = BigInt(id);
  }
  return lowest!.toString();
}

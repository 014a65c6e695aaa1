/**
 * One record's on-demand answer as a batch output line, exactly as Bedrock writes `.jsonl.out`:
 * `{recordId, modelInput, modelOutput}` or `{recordId, modelInput, error: {errorCode, errorMessage}}`.
 */
import { parseObjectLine } from '../jsonl/json-line';

/** A record of a batch-input shard: the two keys Prepare writes. */
export interface ShardRecord {
  readonly recordId: string;
  readonly modelInput: unknown;
}

/** The line for an answered record, without the trailing newline. */
export function answeredLine(record: ShardRecord, modelOutput: unknown): string {
  return JSON.stringify({ recordId: record.recordId, modelInput: record.modelInput, modelOutput });
}

/** The line for a record that failed, without the trailing newline. */
export function errorLine(record: ShardRecord, errorCode: number, errorMessage: string): string {
  return JSON.stringify({
    recordId: record.recordId,
    modelInput: record.modelInput,
    error: { errorCode, errorMessage },
  });
}

/** A batch-input line read back, or `undefined` when it is not `{recordId, modelInput}`. */
export function parseShardRecord(line: string): ShardRecord | undefined {
  const value = parseObjectLine(line);
  if (value === undefined) return undefined;
  const { recordId, modelInput } = value;
  if (typeof recordId !== 'string' || modelInput === undefined) return undefined;
  return { recordId, modelInput };
}

/** Documented limits of the Prepare step (docs/pipelines.md). */

/** The largest JSONL line (one record) Prepare writes; a larger row is rejected with ROW_TOO_LARGE. */
export const MAX_RECORD_BYTES = 1_048_576;

/** Bedrock's input file limit (1 GB, not adjustable); decimal, to stay below it. */
export const MAX_FILE_BYTES = 1_000_000_000;

/** The run fails when more than this share of data rows is rejected... */
export const REJECT_MAX_SHARE = 0.1;
/** ...and more than this many rows are rejected. */
export const REJECT_MIN_COUNT = 10;

/** Record ids from `idColumn` must match this (letters, digits, `_`, `-`; at most 64). */
export const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The record id of a data row when no `idColumn` is set: `r` + 9-digit row number. */
export function rowRecordId(row: number): string {
  return `r${String(row).padStart(9, '0')}`;
}

/** The plan Prepare writes to `plan.json`: everything Collect and a person need to know about the run. */

import type { InvocationType, ShardRef } from '../contract/types';
import type { Estimate } from '../pricing/estimate';

/** One rejected row, as written to the rejected sidecar (`rows/rejected.jsonl`). */
export interface RejectedRow {
  /** 1-based data row number (blank lines excluded). */
  readonly row: number;
  /** 1-based physical line the row starts on. */
  readonly line: number;
  readonly recordId: string | null;
  readonly code: string;
  readonly message: string;
  /** The row's cells; `null` when the row was too large to keep. */
  readonly cells: readonly string[] | null;
}

/** The contents of `plan.json`. */
export interface Plan {
  readonly version: 1;
  readonly runId: string | null;
  readonly pipeline: string;
  readonly modelId: string;
  readonly invocationType: InvocationType;
  /** The CSV header, once; sidecar `cells` follow its order. */
  readonly header: readonly string[];
  readonly rows: number;
  readonly records: number;
  readonly rejected: number;
  readonly minRecordsPerJob: number;
  readonly belowMinimum: boolean;
  readonly rejectThreshold: { readonly maxShare: number; readonly minCount: number };
  readonly limits: {
    readonly maxRecordsPerJob: number;
    readonly maxShardBytes: number;
    readonly maxRecordBytes: number;
  };
  readonly rejectedKey: string;
  readonly shards: readonly ShardRef[];
  readonly estimate: Estimate;
  /**
   * Dedupe (absent when off): rows served by an earlier record, listed in `key`, and `carried`: the
   * most records Collect's carry store holds at once (absent in plans written before it).
   */
  readonly dedupe?: { readonly duplicates: number; readonly key: string; readonly carried?: number };
  /** A re-run: rows carried over as `ok` from the previous run (absent otherwise). */
  readonly rerun?: { readonly previousRunId: string; readonly reused: number };
  /** SHA-256 (hex) of the input file's bytes, so a re-run can tell the file has not changed. */
  readonly inputSha256?: string;
}

/** Where each output of Prepare goes: the run's S3 layout, or the CLI's output folder. */
import {
  batchInputKey,
  duplicateRowsKey,
  pipelineSnapshotKey,
  planKey,
  rejectedRowsKey,
  rowsKey,
  shardName,
} from '../layout';

/** Keys of everything Prepare writes. */
export interface PrepareKeys {
  batchInput(shard: number): string;
  rows(shard: number): string;
  rejected(): string;
  /** Rows served by an earlier record (dedupe on). */
  duplicates(): string;
  plan(): string;
  pipeline(): string;
}

/** The WorkBucket keys of a run (`runs/<runId>/...`, see lambda/core/layout.ts). */
export function runKeys(runId: string): PrepareKeys {
  return {
    batchInput: (shard) => batchInputKey(runId, shard),
    rows: (shard) => rowsKey(runId, shard),
    rejected: () => rejectedRowsKey(runId),
    duplicates: () => duplicateRowsKey(runId),
    plan: () => planKey(runId),
    pipeline: () => pipelineSnapshotKey(runId),
  };
}

/** Paths relative to the CLI's `--out` folder: the same names without the `runs/<runId>/` prefix. */
export const LOCAL_KEYS: PrepareKeys = {
  batchInput: (shard) => `batch-input/${shardName(shard)}.jsonl`,
  rows: (shard) => `rows/${shardName(shard)}.jsonl`,
  rejected: () => 'rows/rejected.jsonl',
  duplicates: () => 'rows/duplicates.jsonl',
  plan: () => 'plan.json',
  pipeline: () => 'pipeline.json',
};

/**
 * The S3 layout (a contract: see docs/design.md), the one module that names every S3 key, file name and
 * IAM prefix: the handlers, the CLI, the local runner and lib/ (bucket lifecycle, IAM grants) all derive
 * theirs from here. Every key built here uses only characters that Bedrock's S3Uri pattern allows
 * (letters, digits, `-!_*'().` and `/`), whatever the analyst named the file: run ids are `[A-Za-z0-9-]`
 * and pipeline names are validated to `[A-Za-z0-9-_]`.
 */

import { inputFormatOf } from '../input/format';

/** Where analysts drop files: `inbox/<pipeline>/<anything>.csv` (or `.xlsx`, `.jsonl`, `.parquet`: input/format.ts). */
export const INBOX_PREFIX = 'inbox/';
/** Everything a run writes to the WorkBucket lives under `runs/<runId>/`. */
export const RUNS_PREFIX = 'runs/';
/** Everything analysts read lives under `results/<pipeline>/<runId>/`. */
export const RESULTS_PREFIX = 'results/';

/** The folders and files of one run, relative to `runs/<runId>/` (or to the CLI's `--out` folder). */
export const RUN_PATHS = {
  batchInput: 'batch-input/',
  batchOutput: 'batch-output/',
  retryInput: 'retry-input/',
  rows: 'rows/',
  jobs: 'jobs/',
  rejected: 'rows/rejected.jsonl',
  duplicates: 'rows/duplicates.jsonl',
  plan: 'plan.json',
  pipeline: 'pipeline.json',
  retryPlan: 'retry-plan.json',
} as const;

/** What Bedrock appends to each input file's name for its output: `shard-0001.jsonl` → `shard-0001.jsonl.out`. */
export const OUTPUT_SUFFIX = '.out';
/** The counts file Bedrock writes beside a job's outputs. */
export const MANIFEST_FILE = `manifest.json${OUTPUT_SUFFIX}`;

/** `shard-0001` for shard 1. */
export function shardName(shard: number): string {
  return `shard-${String(shard).padStart(4, '0')}`;
}

/** `runs/<runId>/`. */
export function runPrefix(runId: string): string {
  return `${RUNS_PREFIX}${runId}/`;
}

/** The JSONL Bedrock reads for one shard: `runs/<runId>/batch-input/shard-NNNN.jsonl`. */
export function batchInputKey(runId: string, shard: number): string {
  return `${batchInputPrefix(runId)}${shardName(shard)}.jsonl`;
}

/** Where one run's batch-input shards live: `runs/<runId>/batch-input/` (lib/ passes `*` for an IAM pattern). */
export function batchInputPrefix(runId: string): string {
  return `${runPrefix(runId)}${RUN_PATHS.batchInput}`;
}

/** Where a second round's inputs live: `runs/<runId>/retry-input/`, one `job-NN/` folder per retry job. */
export function retryInputRoot(runId: string): string {
  return `${runPrefix(runId)}${RUN_PATHS.retryInput}`;
}

/** The row sidecar (original cells by recordId): `runs/<runId>/rows/shard-NNNN.jsonl`. */
export function rowsKey(runId: string, shard: number): string {
  return `${runPrefix(runId)}${RUN_PATHS.rows}${shardName(shard)}.jsonl`;
}

/** Rows rejected by Prepare, with their reasons: `runs/<runId>/rows/rejected.jsonl`. */
export function rejectedRowsKey(runId: string): string {
  return `${runPrefix(runId)}${RUN_PATHS.rejected}`;
}

/** Rows served by an earlier record's answer (dedupe): `runs/<runId>/rows/duplicates.jsonl`. */
export function duplicateRowsKey(runId: string): string {
  return `${runPrefix(runId)}${RUN_PATHS.duplicates}`;
}

/** The output prefix given to Bedrock; it writes `<jobId>/shard-NNNN.jsonl.out` below it. */
export function batchOutputPrefix(runId: string): string {
  return `${runPrefix(runId)}${RUN_PATHS.batchOutput}`;
}

/** Where one job's outputs land: `runs/<runId>/batch-output/<jobId>/`. */
export function jobOutputPrefix(runId: string, jobId: string): string {
  return `${batchOutputPrefix(runId)}${jobId}/`;
}

/** The resolved pipeline as the run used it: `runs/<runId>/pipeline.json`. */
export function pipelineSnapshotKey(runId: string): string {
  return `${runPrefix(runId)}${RUN_PATHS.pipeline}`;
}

/** Prepare's plan (counts, shards, estimate): `runs/<runId>/plan.json`. */
export function planKey(runId: string): string {
  return `${runPrefix(runId)}${RUN_PATHS.plan}`;
}

/** Where the Map iterations leave their results: `runs/<runId>/jobs/`. */
export function jobResultsPrefix(runId: string): string {
  return `${runPrefix(runId)}${RUN_PATHS.jobs}`;
}

/**
 * One Map iteration's `JobResult`: `runs/<runId>/jobs/shard-NNNN.json` for a first-round shard,
 * `runs/<runId>/jobs/retry-NNNN.json` for job (or on-demand part) NNNN of the second round.
 */
export function jobResultKey(runId: string, round: number, number: number): string {
  const name = round === 1 ? shardName(number) : `retry-${String(number).padStart(4, '0')}`;
  return `${jobResultsPrefix(runId)}${name}.json`;
}

/** `runs/<runId>/retry-input/job-NN/`: a second-round batch job's input folder (its `s3Uri`). */
export function retryInputPrefix(runId: string, job: number): string {
  return `${retryInputRoot(runId)}job-${String(job).padStart(2, '0')}/`;
}

/**
 * `runs/<runId>/retry-input/job-NN/shard-NNNN.jsonl`: the job's records of one shard. Bedrock names
 * the output after it (`<jobId>/shard-NNNN.jsonl.out`), so outputs still say which shard they belong to.
 */
export function retryInputKey(runId: string, job: number, shard: number): string {
  return `${retryInputPrefix(runId, job)}${shardName(shard)}.jsonl`;
}

/** `runs/<runId>/retry-plan.json`: the second round's plan, for the state that merges the rounds. */
export function retryPlanKey(runId: string): string {
  return `${runPrefix(runId)}${RUN_PATHS.retryPlan}`;
}

/** A shard's output under a job's output prefix: `<prefix>shard-NNNN.jsonl.out`. */
export function shardOutputKey(outputPrefix: string, shard: number): string {
  return `${outputPrefix}${shardName(shard)}.jsonl${OUTPUT_SUFFIX}`;
}

/** A job's manifest under its output prefix: `<prefix>manifest.json.out`. */
export function manifestKey(outputPrefix: string): string {
  return `${outputPrefix}${MANIFEST_FILE}`;
}

/** Whether `key` is one of the record outputs (`*.jsonl.out`) of a job, not its manifest. */
export function isRecordOutputKey(key: string): boolean {
  return key.endsWith(`.jsonl${OUTPUT_SUFFIX}`);
}

/** `results/<pipeline>/<runId>/`. */
export function resultsPrefix(pipeline: string, runId: string): string {
  return `${RESULTS_PREFIX}${pipeline}/${runId}/`;
}

/** The files analysts read, by name, under {@link resultsPrefix}. */
export const RESULT_FILES = {
  csv: 'results.csv',
  jsonl: 'results.jsonl',
  errors: 'errors.csv',
  summary: 'summary.json',
  report: 'report.json',
  html: 'report.html',
} as const;

/** The 12-character job id at the end of a job ARN. */
export function jobIdFromArn(jobArn: string): string {
  return jobArn.slice(jobArn.lastIndexOf('/') + 1);
}

/** `s3://bucket/key`. */
export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** The inbox key's pipeline and path, or `undefined` when the key is not `inbox/<pipeline>/<path>` with an input format's extension (any case). */
export function parseInboxKey(key: string): { pipeline: string; path: string } | undefined {
  if (!key.startsWith(INBOX_PREFIX) || inputFormatOf(key) === undefined) return undefined;
  const rest = key.slice(INBOX_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { pipeline: rest.slice(0, slash), path: rest.slice(slash + 1) };
}

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

/** The WorkBucket keys of a run (`runs/<runId>/...`). */
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
  batchInput: (shard) => `${RUN_PATHS.batchInput}${shardName(shard)}.jsonl`,
  rows: (shard) => `${RUN_PATHS.rows}${shardName(shard)}.jsonl`,
  rejected: () => RUN_PATHS.rejected,
  duplicates: () => RUN_PATHS.duplicates,
  plan: () => RUN_PATHS.plan,
  pipeline: () => RUN_PATHS.pipeline,
};

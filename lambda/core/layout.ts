/**
 * The S3 layout (a contract: see docs/design.md). Every key built here uses only characters that
 * Bedrock's S3Uri pattern allows (letters, digits, `-!_*'().` and `/`), whatever the analyst named the file:
 * run ids are `[A-Za-z0-9-]` and pipeline names are validated to `[A-Za-z0-9-_]`.
 */

/** Where analysts drop files: `inbox/<pipeline>/<anything>.csv`. */
export const INBOX_PREFIX = 'inbox/';
/** Everything a run writes to the WorkBucket lives under `runs/<runId>/`. */
export const RUNS_PREFIX = 'runs/';
/** Everything analysts read lives under `results/<pipeline>/<runId>/`. */
export const RESULTS_PREFIX = 'results/';

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
  return `${runPrefix(runId)}batch-input/${shardName(shard)}.jsonl`;
}

/** The row sidecar (original cells by recordId): `runs/<runId>/rows/shard-NNNN.jsonl`. */
export function rowsKey(runId: string, shard: number): string {
  return `${runPrefix(runId)}rows/${shardName(shard)}.jsonl`;
}

/** Rows rejected by Prepare, with their reasons: `runs/<runId>/rows/rejected.jsonl`. */
export function rejectedRowsKey(runId: string): string {
  return `${runPrefix(runId)}rows/rejected.jsonl`;
}

/** Rows served by an earlier record's answer (dedupe): `runs/<runId>/rows/duplicates.jsonl`. */
export function duplicateRowsKey(runId: string): string {
  return `${runPrefix(runId)}rows/duplicates.jsonl`;
}

/** The output prefix given to Bedrock; it writes `<jobId>/shard-NNNN.jsonl.out` below it. */
export function batchOutputPrefix(runId: string): string {
  return `${runPrefix(runId)}batch-output/`;
}

/** Where one job's outputs land: `runs/<runId>/batch-output/<jobId>/`. */
export function jobOutputPrefix(runId: string, jobId: string): string {
  return `${batchOutputPrefix(runId)}${jobId}/`;
}

/** The resolved pipeline as the run used it: `runs/<runId>/pipeline.json`. */
export function pipelineSnapshotKey(runId: string): string {
  return `${runPrefix(runId)}pipeline.json`;
}

/** Prepare's plan (counts, shards, estimate): `runs/<runId>/plan.json`. */
export function planKey(runId: string): string {
  return `${runPrefix(runId)}plan.json`;
}

/** Where the Map iterations leave their results: `runs/<runId>/jobs/`. */
export function jobResultsPrefix(runId: string): string {
  return `${runPrefix(runId)}jobs/`;
}

/**
 * One Map iteration's `JobResult`: `runs/<runId>/jobs/shard-NNNN.json` for a first-round shard,
 * `runs/<runId>/jobs/retry-NNNN.json` for job (or on-demand part) NNNN of the second round.
 */
export function jobResultKey(runId: string, round: number, number: number): string {
  const name = round === 1 ? shardName(number) : `retry-${String(number).padStart(4, '0')}`;
  return `${jobResultsPrefix(runId)}${name}.json`;
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
} as const;

/** The 12-character job id at the end of a job ARN. */
export function jobIdFromArn(jobArn: string): string {
  return jobArn.slice(jobArn.lastIndexOf('/') + 1);
}

/** `s3://bucket/key`. */
export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** The inbox key's pipeline and path, or `undefined` when the key is not `inbox/<pipeline>/<path>.csv`. */
export function parseInboxKey(key: string): { pipeline: string; path: string } | undefined {
  if (!key.startsWith(INBOX_PREFIX) || !key.toLowerCase().endsWith('.csv')) return undefined;
  const rest = key.slice(INBOX_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { pipeline: rest.slice(0, slash), path: rest.slice(slash + 1) };
}

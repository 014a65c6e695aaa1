/**
 * Shared shapes: the pipeline definition and the small values that travel between states.
 * Only ids, counts and S3 keys travel between states: never rows, never lists that grow with rows.
 */
import type { RunDeadline } from '../deadline/estimate';
import type { CaughtError, JobResult, JobState } from './job-types';

/** How records are sent: the model's native body, or the Converse body that fits any text model. */
export type InvocationType = 'InvokeModel' | 'Converse';

/** What the model is asked to answer. */
export interface OutputSpec {
  /** `text` (default): the answer as is. `json`: a JSON object, validated against `schema`. */
  readonly format: 'text' | 'json';
  /** A JSON Schema (draft 2020-12 or 07) the answer must satisfy in json mode. */
  readonly schema?: Record<string, unknown>;
}

/**
 * A pipeline after loading and validation: every default applied, `promptFile` read into
 * `promptTemplate`. This resolved form is what a run snapshots to `runs/<runId>/pipeline.json`.
 */
export interface PipelineDefinition {
  /** The file's base name without `.json`; also the inbox folder `inbox/<name>/`. */
  readonly name: string;
  readonly modelId: string;
  readonly promptTemplate: string;
  readonly system?: string;
  readonly maxTokens: number;
  readonly temperature: number;
  /** A CSV column whose value becomes the record id; else the data row number. */
  readonly idColumn?: string;
  /** The workbook sheet an `.xlsx` input is read from; the first visible worksheet when unset. */
  readonly sheet?: string;
  readonly invocationType: InvocationType;
  readonly output: OutputSpec;
  readonly minRecordsPerJob: number;
  readonly maxRecordsPerJob: number;
  readonly maxJobBytes: number;
  readonly timeoutHours: number;
  /**
   * A run below `minRecordsPerJob`: through the on-demand runtime API, or a `BELOW_MIN_RECORDS` failure.
   * Always set by the loader; absent only in snapshots written before the option existed (`on-demand`).
   */
  readonly belowMinimum?: 'on-demand' | 'fail';
  /** Give retryable failures one more round. Always set by the loader; absent in older snapshots (`true`). */
  readonly retryRound?: boolean;
  /** Results are due this many hours after the run started (lambda/core/deadline); absent: no deadline. */
  readonly deadlineHours?: number;
  /**
   * Send byte-identical requests once (docs/pipelines.md). Always set by the loader (default: on when
   * `temperature` is 0); absent in older snapshots (off).
   */
  readonly dedupe?: boolean;
}

/** The analyst's object that started a run. */
export interface SourceObject {
  readonly bucket: string;
  /** The decoded key, exactly as stored in S3. */
  readonly key: string;
  readonly versionId?: string;
  readonly etag?: string;
}

/** Execution input, written by Start run; the execution's name is `runId`. */
export interface RunInput {
  readonly runId: string;
  readonly pipeline: string;
  readonly source: SourceObject;
  /**
   * A re-run: the run whose `ok` rows are carried over; only its other rows are sent
   * (docs/operator.md, "Re-running what did not succeed").
   */
  readonly rerunOf?: string;
}

/** One JSONL shard and its row sidecar, ready to be one batch job. */
export interface ShardRef {
  /** 1-based shard number, as in `shard-0001.jsonl`. */
  readonly shard: number;
  readonly inputKey: string;
  readonly rowsKey: string;
  readonly records: number;
  readonly bytes: number;
}

/** Output of Prepare input, at `$.prepared`. */
export interface PreparedRun {
  readonly runId: string;
  readonly pipeline: string;
  readonly modelId: string;
  readonly invocationType: InvocationType;
  readonly timeoutHours: number;
  /** Data rows read (blank lines excluded). */
  readonly rows: number;
  /** Records written to shards. */
  readonly records: number;
  /** Rows rejected by validation (listed in the rejected sidecar). */
  readonly rejected: number;
  readonly minRecordsPerJob: number;
  /** True when `records < minRecordsPerJob`: no batch job can be created. */
  readonly belowMinimum: boolean;
  /**
   * How the run goes on: batch jobs; one on-demand invocation per shard (below the batch minimum, when
   * the pipeline allows it); or `too-few`, the `BELOW_MIN_RECORDS` failure (`preparedMode`).
   */
  readonly mode: PreparedMode;
  /**
   * `[1, 2, ..., N]`: the items of the first round's Map. The shards themselves (keys, counts) are in
   * plan.json; each iteration derives its keys from the run id and its number (lambda/core/contract/layout.ts), so
   * the execution state grows by a few bytes per shard only.
   */
  readonly shardNumbers: readonly number[];
  /** `runs/<runId>/plan.json` in the WorkBucket. */
  readonly planKey: string;
  /**
   * The pipeline's deadline and whether even the on-demand path can meet it; `null` without one. Always
   * set by Prepare: the first round's item selector reads `$.prepared.deadline`, and a missing path fails
   * the execution with `States.Runtime`.
   */
  readonly deadline: RunDeadline | null;
}

/** How a prepared run goes on (`PreparedRun.mode`). */
export type PreparedMode = 'batch' | 'on-demand' | 'too-few';

/**
 * A task's input together with the workflow's time: `now` is `$$.State.EnteredTime`, so every deadline a
 * handler checks follows the state machine's clock (simulated by the local runner, never measured).
 */
export interface Timed<T> {
  readonly input: T;
  /** ISO 8601 time the state was entered. */
  readonly now: string;
}

/** Input of Submit job: one Map item plus, on a resubmission, the previous check. */
export interface SubmitJobInput {
  readonly runId: string;
  readonly pipeline: string;
  readonly modelId: string;
  readonly invocationType: InvocationType;
  readonly timeoutHours: number;
  /**
   * The shard's number (its input is `batch-input/shard-NNNN.jsonl`). In a second-round batch job, the
   * retry job's number (its input is the folder `retry-input/job-NN/`); in a second-round on-demand
   * invocation, the original shard (its input is `retry-input/job-<part>/shard-NNNN.jsonl`).
   */
  readonly shard: number;
  /** Present when Check job asked for a resubmission (an Expired job). */
  readonly job?: JobState;
  /** 2 for the second round; absent in the first. */
  readonly round?: number;
  /** The second round's job (plan) number; absent in the first round. */
  readonly part?: number;
  /** The run's deadline (first-round batch jobs only: `$.prepared.deadline`). */
  readonly deadline?: RunDeadline | null;
  /** When the run started (`$$.Execution.StartTime`), with `deadline`. */
  readonly runStartedAt?: string;
}
/** One invocation of an on-demand second round: a Map item of "Retry on demand". */
export interface RetryPart {
  /** The original shard whose selected records it runs. */
  readonly shard: number;
  /** The plan's job number. */
  readonly part: number;
}

/**
 * Output of Plan retry, at `$.retry`: counts and the second round's Map items, never record ids. A
 * batch round's items are its job numbers (`[1, ..., J]`); an on-demand round's are its parts (fewer
 * than `minRecordsPerJob`, one per selected shard or less). Empty when no second round runs.
 */
export interface RetryState {
  /** `none`: nothing to retry, or `retryRound: false`. */
  readonly mode: 'none' | 'on-demand' | 'batch';
  /** Rows selected for the second round. */
  readonly selected: number;
  readonly byReason: Readonly<Record<string, number>>;
  readonly items: readonly (number | RetryPart)[];
}

/**
 * Input of Collect results, read from the execution state: no shard list and no job results (each
 * iteration writes its `JobResult` to `runs/<runId>/jobs/`, lambda/core/contract/layout.ts), so the state stays
 * small whatever the number of shards.
 */
export interface CollectInput {
  readonly runId: string;
  readonly pipeline: string;
  readonly source: SourceObject;
  readonly prepared: PreparedRun;
  /** The second round, when Plan retry ran (without its items). */
  readonly retry?: Omit<RetryState, 'items'>;
  /** ISO 8601 time the state was entered (`$$.State.EnteredTime`): the summary's `createdAt`. */
  readonly now: string;
  /** When the run started (`$$.Execution.StartTime`): the deadline counts from it. */
  readonly runStartedAt?: string;
}

/** What Collect and Plan retry work from once they read the run's shards and job results from S3. */
export interface CollectedRun extends CollectInput {
  /** The shards, from plan.json. */
  readonly shards: readonly ShardRef[];
  /** The first round's results, one per shard (a shard without one counts as failed). */
  readonly jobs: readonly JobResult[];
  /** The second round's results, one per job or part. */
  readonly retryJobs: readonly JobResult[];
}

/** Input of Record job result: the iteration's item and the result it ended with. */
export interface JobRecordInput extends SubmitJobInput {
  readonly result: JobResult;
}

/** Row counts; the invariant `input = ok + error + rejected + missing` always holds. */
export interface RowCounts {
  readonly input: number;
  readonly ok: number;
  readonly error: number;
  readonly rejected: number;
  readonly missing: number;
}

/** Output of Collect results, at `$.results`. */
export interface CollectOutput {
  readonly runId: string;
  readonly resultsBucket: string;
  readonly resultsPrefix: string;
  readonly counts: RowCounts;
  readonly tokens: { readonly input: number; readonly output: number };
  readonly cost: { readonly batchUsd: number | null; readonly onDemandUsd: number | null };
  /**
   * Present when some shards' jobs failed: their rows are in the results as `missing` with the job's
   * error, and the run then ends failed with this error (the first failed shard's).
   */
  readonly failure?: CaughtError;
}

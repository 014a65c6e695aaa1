/**
 * Collect, end to end over abstract sources and sinks: join every row, add up tokens and cost, check
 * `input = ok + error + rejected + missing`, and build summary.json. The caller publishes the result
 * files only when this returns; on a mismatch it throws {@link ResultsMismatchError} and the caller
 * aborts the uploads, so no wrong numbers are ever published.
 */
import { ResultsMismatchError } from '../contract/errors';
import type { PipelineDefinition, RowCounts } from '../contract/types';
import type { CarryStore } from '../dedupe/carry-store';
import { DedupeJoin } from '../dedupe/collect-dedupe';
import { type DedupeSummary, dedupeSummary, type RerunSummary, type RunFingerprint } from '../dedupe/summary';
import { outputModeFor } from '../jsonl/outcome';
import { schemaFields } from '../pipeline/json-output';
import { CarriedRows } from '../rerun/carried-rows';
import { type RetrySummary, roundCost } from '../retry/retry-round';
import { costOf, type RunCost } from './cost';
import { type JobSummary, type JoinSources, joinRows, type ShardJob } from './join';
import { type ResultSinks, ResultWriter, type RowObserver } from './result-writer';
import { BufferedSink } from './sink';
import type { SpillStore } from './spill';
import { type CollectWarning, WarningLog } from './warnings';

/** What Collect knows about the run before reading any output. */
export interface CollectRunInput {
  readonly runId: string;
  readonly pipeline: PipelineDefinition;
  /** The CSV header, from the plan. */
  readonly header: readonly string[];
  /** Data rows Prepare read: the `input` of the invariant. */
  readonly inputRows: number;
  readonly shards: readonly ShardJob[];
  readonly resultsPrefix: string;
  readonly createdAt: string;
  /** How the records were run (`PreparedRun.mode`). @default 'batch' */
  readonly mode?: 'batch' | 'on-demand';
  /** The second round, when one was planned: summary.json then gets `retry`. */
  readonly retry?: RetryRoundInput;
  /** Dedupe on: the run's record count, the duplicates sidecar and where shared outcomes wait. */
  readonly dedupe?: {
    readonly records: number;
    readonly lines: () => AsyncIterable<string>;
    readonly carry: CarryStore;
  };
  /** A re-run: the previous run and its results.jsonl lines (its `ok` rows are carried over). */
  readonly rerun?: { readonly previousRunId: string; readonly lines: () => AsyncIterable<string> };
  /** The input's and pipeline's digests, for a later re-run's check. */
  readonly fingerprint?: RunFingerprint;
}

/** What Collect knows of the second round before the join (the join counts the recovered rows). */
export interface RetryRoundInput {
  readonly mode: 'none' | 'on-demand' | 'batch';
  readonly selected: number;
  readonly byReason: Readonly<Record<string, number>>;
  /** Invocations (or jobs) that ran. */
  readonly jobs: number;
  /** Tokens the second round used (from its manifests). */
  readonly tokens: { readonly input: number; readonly output: number };
}

/** summary.json. */
export interface RunSummary {
  readonly runId: string;
  readonly pipeline: string;
  readonly modelId: string;
  readonly invocationType: string;
  /** `batch`, or `on-demand` for a run below the batch minimum that went through the runtime API. */
  readonly mode: 'batch' | 'on-demand';
  readonly outputFormat: 'text' | 'json';
  readonly createdAt: string;
  readonly resultsPrefix: string;
  readonly counts: RowCounts;
  readonly tokens: { readonly input: number; readonly output: number };
  readonly cost: RunCost;
  readonly jobs: readonly JobSummary[];
  readonly warnings: readonly CollectWarning[];
  /** The second chance: what was retried, recovered and what it cost. */
  readonly retry?: RetrySummary;
  /** Dedupe: rows served by another row's answer and the money saved. */
  readonly dedupe?: DedupeSummary;
  /** A re-run: the previous run and the rows carried over from it. */
  readonly rerun?: RerunSummary;
  /** The input's and pipeline's digests (a re-run of this run checks them). */
  readonly fingerprint?: RunFingerprint;
}

/**
 * Writes every result row into `sinks` and returns the summary; throws when the counts do not reconcile.
 * `observer` sees every row as it is written (report.html's figures).
 */
export async function collectRun(
  input: CollectRunInput,
  sources: JoinSources,
  store: SpillStore,
  sinks: ResultSinks,
  observer?: RowObserver,
): Promise<RunSummary> {
  const { pipeline } = input;
  const mode = outputModeFor(pipeline);
  const fields = mode.json ? schemaFields(pipeline.output.schema) : [];
  const buffered = {
    csv: new BufferedSink(sinks.csv),
    jsonl: new BufferedSink(sinks.jsonl),
    errors: new BufferedSink(sinks.errors),
  };
  const writer = new ResultWriter(input.header, fields, buffered, observer);
  const warnings = new WarningLog();
  await writer.start();
  const dedupe = input.dedupe
    ? new DedupeJoin(input.dedupe.records, input.dedupe.lines, input.dedupe.carry, writer, warnings)
    : undefined;
  await dedupe?.load();
  const carried = input.rerun
    ? new CarriedRows(input.rerun.previousRunId, input.rerun.lines, input.header, writer, warnings)
    : undefined;
  const totals = await joinRows(input.shards, mode, sources, store, writer, warnings, {
    dedupe,
    sides: carried ? [carried] : [],
  });
  await Promise.all([buffered.csv.flush(), buffered.jsonl.flush(), buffered.errors.flush()]);
  const counts: RowCounts = { input: input.inputRows, ...writer.statusCounts() };
  assertReconciled(counts);
  return {
    runId: input.runId,
    pipeline: pipeline.name,
    modelId: pipeline.modelId,
    invocationType: pipeline.invocationType,
    mode: input.mode ?? 'batch',
    outputFormat: pipeline.output.format,
    createdAt: input.createdAt,
    resultsPrefix: input.resultsPrefix,
    counts,
    tokens: totals.tokens,
    cost: costOf(pipeline.modelId, totals.tokens, input.mode ?? 'batch'),
    jobs: totals.jobs,
    warnings: warnings.list(),
    ...(input.retry === undefined
      ? {}
      : { retry: retrySummary(pipeline.modelId, input.retry, totals.recovered) }),
    ...(dedupe ? { dedupe: dedupeSummary(pipeline.modelId, dedupe.totals(), input.mode ?? 'batch') } : {}),
    ...(carried && input.rerun
      ? { rerun: { previousRunId: input.rerun.previousRunId, reusedRows: carried.reused } }
      : {}),
    ...(input.fingerprint ? { fingerprint: input.fingerprint } : {}),
  };
}

function retrySummary(modelId: string, retry: RetryRoundInput, recovered: number): RetrySummary {
  return {
    mode: retry.mode,
    selected: retry.selected,
    byReason: {
      throttled: retry.byReason.throttled ?? 0,
      'server-error': retry.byReason['server-error'] ?? 0,
      timeout: retry.byReason.timeout ?? 0,
      'not-processed': retry.byReason['not-processed'] ?? 0,
    },
    recovered,
    stillFailing: retry.selected - recovered,
    jobs: retry.jobs,
    tokens: retry.tokens,
    costUsd: roundCost(modelId, retry.mode === 'batch' ? 'batch' : 'on-demand', retry.tokens),
  };
}

/**
 * Checks `input = ok + error + rejected + missing`.
 *
 * @throws ResultsMismatchError with the numbers when it does not hold.
 */
export function assertReconciled(counts: RowCounts): void {
  const sum = counts.ok + counts.error + counts.rejected + counts.missing;
  if (sum !== counts.input) {
    throw new ResultsMismatchError(
      `Results do not reconcile: input ${counts.input} != ok ${counts.ok} + error ${counts.error} + rejected ${counts.rejected} + missing ${counts.missing} (= ${sum}); nothing was published`,
    );
  }
}

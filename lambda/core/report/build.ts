/**
 * The report's data from what each writer knows: Collect has summary.json, the row figures it gathered
 * while writing and both rounds' job results; Record failure, for a run that failed before Collect, has
 * the failure and what Prepare counted.
 */

import { costOf } from '../collect/cost';
import type { RunSummary } from '../collect/run';
import { type FailedJob, isFailedJob, type JobResult } from '../contract/job-types';
import type { PreparedRun } from '../contract/types';
import type { FailureDescription } from '../job/failure';
import { EXTRA_SECTIONS, type ReportData, type ReportJob } from './data';
import type { RowFigures } from './rows';

/** What Collect adds to summary.json for the report. */
export interface CollectedReportInput {
  readonly summary: RunSummary;
  readonly rows: RowFigures;
  /** The first round's job results (times, failures), by shard. */
  readonly jobs: readonly JobResult[];
  /** The second round's results, by job or part. */
  readonly retryJobs: readonly JobResult[];
  /** The failure the run ends with (a shard's job failed), described. */
  readonly failure?: FailureDescription;
  /** The failure code of a failed job's result (shown on its timeline line). */
  readonly failureCode?: (job: FailedJob) => string;
}

/** The report of a run whose results Collect published (it may still end failed: a job failed). */
export function reportFromCollect(input: CollectedReportInput): ReportData {
  const { summary, rows } = input;
  const results = new Map(input.jobs.map((job) => [job.shard, job]));
  const code = (job: JobResult | undefined) =>
    job !== undefined && isFailedJob(job) ? (input.failureCode?.(job) ?? job.error.Error) : undefined;
  const first: ReportJob[] = summary.jobs.map((j) => {
    const result = results.get(j.shard);
    const failureCode = code(result);
    return {
      round: 1,
      number: j.shard,
      jobArn: j.jobArn,
      status: j.status,
      rows: { records: j.records, ok: j.ok, error: j.error, missing: j.missing },
      ...result?.times,
      ...(failureCode === undefined ? {} : { failureCode }),
    };
  });
  const second: ReportJob[] = input.retryJobs.map((job) => {
    const failureCode = code(job);
    return {
      round: 2,
      number: job.shard,
      jobArn: job.jobArn ?? null,
      status: job.status ?? null,
      ...job.times,
      ...(failureCode === undefined ? {} : { failureCode }),
    };
  });
  const billed = summary.mode === 'on-demand' ? 'on-demand' : 'batch';
  const atBatch = billed === 'on-demand' ? costOf(summary.modelId, summary.tokens, 'batch') : summary.cost;
  const extras = extrasOf(summary);
  return {
    runId: summary.runId,
    pipeline: summary.pipeline,
    modelId: summary.modelId,
    mode: summary.mode,
    status: input.failure === undefined ? 'succeeded' : 'failed',
    at: summary.createdAt,
    ...(input.failure === undefined ? {} : { failure: input.failure }),
    counts: summary.counts,
    errors: rows.errors,
    ...(rows.otherErrors > 0 ? { otherErrors: rows.otherErrors } : {}),
    tokens: { input: summary.tokens.input, output: summary.tokens.output, perRow: rows.perRow },
    cost: {
      billed,
      batchUsd: atBatch.batchUsd,
      onDemandUsd: summary.cost.onDemandUsd,
      pricesAsOf: summary.cost.pricesAsOf,
    },
    jobs: [...first, ...second],
    ...(summary.retry === undefined ? {} : { retry: summary.retry }),
    warnings: summary.warnings.map((w) => ({
      code: w.shard === undefined ? w.code : `${w.code} (shard ${w.shard})`,
      count: w.count,
      message: w.message,
    })),
    ...(extras === undefined ? {} : { extras }),
  };
}

/** The optional sections summary.json has (`dedupe`, `rerun`, `deadline`), or `undefined` for none. */
function extrasOf(summary: RunSummary): ReportData['extras'] {
  const record = summary as unknown as Record<string, unknown>;
  const present = EXTRA_SECTIONS.filter((key) => record[key] !== undefined && record[key] !== null);
  return present.length === 0 ? undefined : Object.fromEntries(present.map((key) => [key, record[key]]));
}

/** What Record failure knows of a run that failed before Collect published anything. */
export interface FailedReportInput {
  readonly runId: string;
  readonly pipeline: string;
  readonly failure: FailureDescription;
  readonly prepared?: Pick<PreparedRun, 'rows' | 'records' | 'rejected'>;
  /** ISO 8601 time the failure was recorded. */
  readonly at: string;
}

/** The report of a run that failed before its results were collected. */
export function reportFromFailure(input: FailedReportInput): ReportData {
  return {
    runId: input.runId,
    pipeline: input.pipeline,
    status: 'failed',
    at: input.at,
    failure: input.failure,
    ...(input.prepared === undefined
      ? {}
      : {
          prepared: {
            rows: input.prepared.rows,
            records: input.prepared.records,
            rejected: input.prepared.rejected,
          },
        }),
    errors: [],
    jobs: [],
  };
}

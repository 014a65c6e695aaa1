/**
 * summary.json's `deadline` member: whether results were published by the deadline, whether (and when)
 * jobs were switched to on demand, how many rows went on demand for it and what that cost over batch
 * pricing, and a deadline that even the on-demand path could not meet. Pure.
 */

import { isFailedJob, type JobResult } from '../contract/job-types';
import { roundCost } from '../retry/retry-round';
import { dueAt, type RunDeadline } from './estimate';

/** summary.json's `deadline`. */
export interface DeadlineSummary {
  /** The pipeline's `deadlineHours`. */
  readonly hours: number;
  /** When results were due: the run's start plus `hours` (ISO 8601). */
  readonly dueAt: string;
  /** True when Collect published the results by `dueAt` (its start time, `createdAt`). */
  readonly met: boolean;
  /**
   * False when Prepare estimated that even the whole run on demand would end after the deadline: the
   * run went on in batch, and `cannotBeMet` says so.
   */
  readonly feasible: boolean;
  readonly cannotBeMet?: string;
  /** True when at least one batch job was stopped for the deadline. */
  readonly switched: boolean;
  /** The first switch (workflow time: simulated locally), `null` without one. */
  readonly switchedAt: string | null;
  /** Jobs stopped for the deadline. */
  readonly jobsSwitched: number;
  /** Rows the stopped jobs had not processed, sent on demand instead. */
  readonly onDemandRows: number;
  /** Tokens of the on-demand invocations of the switched shards. */
  readonly onDemandTokens: { readonly input: number; readonly output: number };
  /** What those tokens cost on demand minus what they would have cost in batch; `null` for an unpriced model. */
  readonly switchCostUsd: number | null;
}

/** What the summary is built from. */
export interface DeadlineFacts {
  readonly modelId: string;
  readonly deadline: RunDeadline;
  /** `$$.Execution.StartTime`. */
  readonly runStartedAt: string;
  /** Collect's start (`createdAt`). */
  readonly publishedAt: string;
  /** The first round's results with their shards' record counts. */
  readonly jobs: readonly { readonly job: JobResult; readonly records: number }[];
  /** Tokens the second round used for the switched shards. */
  readonly onDemandTokens: { readonly input: number; readonly output: number };
}

/**
 * The `deadline` member. Rows sent on demand are each stopped shard's records minus the records its job
 * had processed (Bedrock's counter when it ended).
 *
 * @example summarizeDeadline({ ...facts, jobs: [] }).switched // false
 */
export function summarizeDeadline(facts: DeadlineFacts): DeadlineSummary {
  const due = dueAt(facts.runStartedAt, facts.deadline.hours);
  const switches = facts.jobs.flatMap(({ job, records }) => {
    if (isFailedJob(job) || job.deadlineSwitch === undefined) return [];
    const processed = job.counters?.processedRecordCount ?? job.deadlineSwitch.processed;
    return [{ at: job.deadlineSwitch.at, rows: Math.max(0, records - processed) }];
  });
  const first = switches.map((entry) => entry.at).sort()[0];
  const onDemand = roundCost(facts.modelId, 'on-demand', facts.onDemandTokens);
  const batch = roundCost(facts.modelId, 'batch', facts.onDemandTokens);
  const hours = facts.deadline.hours;
  return {
    hours,
    dueAt: due.toISOString(),
    met: Date.parse(facts.publishedAt) <= due.getTime(),
    feasible: facts.deadline.feasible,
    ...(facts.deadline.feasible
      ? {}
      : {
          cannotBeMet: `Deadline cannot be met: even on demand the run's ${facts.deadline.records} records were estimated to take ${Math.ceil(facts.deadline.onDemandSeconds / 60)} minutes, more than the ${hours} ${hours === 1 ? 'hour' : 'hours'} allowed; the run went on in batch`,
        }),
    switched: switches.length > 0,
    switchedAt: first ?? null,
    jobsSwitched: switches.length,
    onDemandRows: switches.reduce((sum, entry) => sum + entry.rows, 0),
    onDemandTokens: facts.onDemandTokens,
    switchCostUsd: onDemand === null || batch === null ? null : Number((onDemand - batch).toPrecision(12)),
  };
}

/**
 * The second chance's plan: the rows selected after the first round (selection.ts) get one more round,
 * batch when there are at least `minRecordsPerJob` of them, on demand otherwise; its input lines by job,
 * and summary.json's `retry` member with the round's cost. The second round's lines are merged over the
 * first in merge.ts. Pure: rows, counts and lines in, plans and lines out. docs/on-demand.md describes
 * the wiring.
 */
import { ON_DEMAND_MAX_RECORDS } from '../mode/mode';
import { priceFor } from '../pricing/prices';
import { recordIdOf } from './lines';
import { REASONS, type RetryReason, type RetrySelection } from './selection';

/** The `retryRound` pipeline option when a pipeline does not set it. */
export const DEFAULT_RETRY_ROUND = true;

/** How the second round runs. */
export type RetryMode = 'batch' | 'on-demand' | 'none';

/** A run of consecutive retried records of one shard (in sidecar order) that go to the same job. */
export interface RetrySlice {
  readonly shard: number;
  readonly records: number;
}

/** One job of the second round: a batch job over its folder, or one on-demand invocation (one slice). */
export interface RetryJobPlan {
  /** 1-based; names the job's input folder. */
  readonly job: number;
  readonly slices: readonly RetrySlice[];
}

/** The second round. Small (jobs and slices, never record ids): it can travel between states. */
export interface RetryPlan {
  readonly mode: RetryMode;
  readonly records: number;
  readonly jobs: readonly RetryJobPlan[];
}

/** Limits the plan respects. */
export interface RetryLimits {
  readonly minRecordsPerJob: number;
  readonly maxRecordsPerJob: number;
  /** @default ON_DEMAND_MAX_RECORDS */
  readonly maxOnDemandRecords?: number;
}

/**
 * Plans the second round from the per-shard counts of selected rows. `none` when disabled or nothing
 * was selected. At least `minRecordsPerJob` rows: batch, in `ceil(total / maxRecordsPerJob)` jobs of
 * near-equal size (each then holds more than `maxRecordsPerJob / 2 >= minRecordsPerJob` records, or
 * all of them), a shard's rows split across jobs where needed. Fewer: on demand, one invocation per
 * shard, split into parts of at most `maxOnDemandRecords`.
 *
 * @example planRetryRound([{ shard: 1, records: 30 }], true, { minRecordsPerJob: 100, maxRecordsPerJob: 50000 }).mode // 'on-demand'
 */
export function planRetryRound(
  counts: readonly RetrySlice[],
  enabled: boolean,
  limits: RetryLimits,
): RetryPlan {
  const selected = counts.filter((entry) => entry.records > 0).sort((a, b) => a.shard - b.shard);
  const records = selected.reduce((sum, entry) => sum + entry.records, 0);
  if (!enabled || records === 0) return { mode: 'none', records, jobs: [] };
  if (records < limits.minRecordsPerJob) {
    const cap = limits.maxOnDemandRecords ?? ON_DEMAND_MAX_RECORDS;
    const jobs: RetryJobPlan[] = [];
    for (const entry of selected) {
      for (let done = 0; done < entry.records; done += cap) {
        jobs.push({
          job: jobs.length + 1,
          slices: [{ shard: entry.shard, records: Math.min(cap, entry.records - done) }],
        });
      }
    }
    return { mode: 'on-demand', records, jobs };
  }
  const count = Math.ceil(records / limits.maxRecordsPerJob);
  const sizes = Array.from(
    { length: count },
    (_, i) => Math.floor(records / count) + (i < records % count ? 1 : 0),
  );
  const jobs: { job: number; slices: RetrySlice[] }[] = sizes.map((_, i) => ({ job: i + 1, slices: [] }));
  let job = 0;
  let room = sizes[0]!;
  for (const entry of selected) {
    let left = entry.records;
    while (left > 0) {
      if (room === 0) room = sizes[++job]!;
      const take = Math.min(left, room);
      jobs[job]!.slices.push({ shard: entry.shard, records: take });
      left -= take;
      room -= take;
    }
  }
  return { mode: 'batch', records, jobs };
}

/**
 * For one shard, the job of its k-th selected record (0-based, in sidecar order), following the plan's
 * slices; `undefined` past the shard's planned records.
 */
export function jobOfRecord(plan: RetryPlan, shard: number): (k: number) => RetryJobPlan | undefined {
  const ranges: { end: number; job: RetryJobPlan }[] = [];
  let end = 0;
  for (const job of plan.jobs) {
    for (const slice of job.slices) {
      if (slice.shard !== shard) continue;
      end += slice.records;
      ranges.push({ end, job });
    }
  }
  return (k) => ranges.find((range) => k < range.end)?.job;
}

/**
 * The batch-input lines of the selected records, in shard order, each with the job it goes to. Lines
 * that cannot be read, and records not selected, are skipped.
 */
export async function* retryInputLines(
  lines: AsyncIterable<string>,
  recordIds: ReadonlySet<string>,
  jobOf: (k: number) => RetryJobPlan | undefined,
): AsyncGenerator<{ readonly job: number; readonly line: string }> {
  let k = 0;
  for await (const line of lines) {
    const id = recordIdOf(line);
    if (id === undefined || !recordIds.has(id)) continue;
    const job = jobOf(k++);
    if (job !== undefined) yield { job: job.job, line };
  }
}

/** summary.json's `retry` member. */
export interface RetrySummary {
  readonly mode: RetryMode;
  readonly selected: number;
  readonly byReason: Readonly<Record<RetryReason, number>>;
  /** Selected rows that ended `ok`. */
  readonly recovered: number;
  /** Selected rows that did not (the second round failed too, or never reached them). */
  readonly stillFailing: number;
  readonly jobs: number;
  /** Tokens the second round used. */
  readonly tokens: { readonly input: number; readonly output: number };
  /** What the second round cost: batch price for a batch round, on-demand price otherwise. */
  readonly costUsd: number | null;
}

/**
 * The second round's summary. `recovered` is counted by the caller while it writes the merged rows (a
 * row with `replaced(recordId)` and status `ok`).
 */
export function summarizeRetry(
  modelId: string,
  plan: RetryPlan,
  selection: Pick<RetrySelection, 'total' | 'byReason'>,
  recovered: number,
  tokens: { input: number; output: number },
): RetrySummary {
  return {
    mode: plan.mode,
    selected: selection.total,
    byReason: Object.fromEntries(REASONS.map((r) => [r, selection.byReason[r] ?? 0])) as Record<
      RetryReason,
      number
    >,
    recovered,
    stillFailing: selection.total - recovered,
    jobs: plan.jobs.length,
    tokens,
    costUsd: roundCost(modelId, plan.mode === 'batch' ? 'batch' : 'on-demand', tokens),
  };
}

/**
 * USD for `tokens` at the batch or the on-demand price (12 significant digits), `null` for a model
 * without a price.
 *
 * @example roundCost('anthropic.claude-3-haiku-20240307-v1:0', 'on-demand', { input: 1_000_000, output: 0 }) // 0.25
 */
export function roundCost(
  modelId: string,
  mode: 'batch' | 'on-demand',
  tokens: { input: number; output: number },
): number | null {
  const price = priceFor(modelId);
  if (price === undefined) return null;
  const [input, output] =
    mode === 'batch'
      ? [price.batchInputPerMTok, price.batchOutputPerMTok]
      : [price.inputPerMTok, price.outputPerMTok];
  return Number(((tokens.input * input + tokens.output * output) / 1_000_000).toPrecision(12));
}

/**
 * The second chance: after the first round, rows that failed for a retryable reason (throttling, a
 * server error, a timeout) or were never processed get one more round, batch when there are at least
 * `minRecordsPerJob` of them, on demand otherwise; then the second round's output lines are merged over
 * the first so each input row appears once. Pure: rows, counts and lines in, plans and lines out.
 * docs/on-demand.md describes the wiring.
 */
import { RowErrorCode } from '../contract/errors';
import { ON_DEMAND_MAX_RECORDS } from '../mode/mode';
import { priceFor } from '../pricing/prices';

/** The `retryRound` pipeline option when a pipeline does not set it. */
export const DEFAULT_RETRY_ROUND = true;

/** What Collect knows about one row (a `ResultRow` of lambda/core/collect satisfies it). */
export interface RowOutcome {
  readonly recordId: string;
  readonly status: 'ok' | 'error' | 'rejected' | 'missing';
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** Why a row is retried. */
export type RetryReason = 'throttled' | 'server-error' | 'timeout' | 'not-processed';

const REASONS: readonly RetryReason[] = ['throttled', 'server-error', 'timeout', 'not-processed'];

const BY_STATUS: Readonly<Record<string, RetryReason>> = {
  '429': 'throttled',
  '408': 'timeout',
  '500': 'server-error',
  '502': 'server-error',
  '503': 'server-error',
  '504': 'server-error',
};

const BY_WORDS: readonly [RegExp, RetryReason][] = [
  [/throttl|too many requests|rate exceeded|ModelNotReady/i, 'throttled'],
  [/ModelTimeout|timed? ?out/i, 'timeout'],
  [/ServiceUnavailable|InternalServer|internal server error|service unavailable/i, 'server-error'],
];

/**
 * Why `row` deserves another round, or `undefined`: `NOT_PROCESSED` rows, and `MODEL_ERROR` rows whose
 * message starts with a retryable HTTP status (`429: `, `408: `, `5xx: `, as Collect writes Bedrock's
 * `errorCode`) or names throttling, a timeout or a server error. A 400 (bad request) or a json-mode
 * failure is not retried: the same request would fail the same way.
 *
 * @example retryReason({ recordId: 'r1', status: 'error', errorCode: 'MODEL_ERROR', errorMessage: '429: slow down' }) // 'throttled'
 */
export function retryReason(row: RowOutcome): RetryReason | undefined {
  if (row.status === 'missing')
    return row.errorCode === RowErrorCode.NotProcessed ? 'not-processed' : undefined;
  if (row.status !== 'error' || row.errorCode !== RowErrorCode.ModelError) return undefined;
  const message = row.errorMessage ?? '';
  const status = /^(\d{3}): /.exec(message)?.[1];
  if (status !== undefined) return BY_STATUS[status];
  return BY_WORDS.find(([words]) => words.test(message))?.[1];
}

/** The rows chosen for the second round, by shard. */
export interface RetrySelection {
  readonly total: number;
  readonly byReason: Readonly<Record<RetryReason, number>>;
  /** Shards in ascending order, each with its chosen recordIds. */
  readonly shards: readonly { readonly shard: number; readonly recordIds: ReadonlySet<string> }[];
}

/** Collects retryable rows while Collect (or a scan of the outputs) goes through them. */
export class RetrySelector {
  private readonly ids = new Map<number, Set<string>>();
  private readonly reasons: Record<RetryReason, number> = {
    throttled: 0,
    'server-error': 0,
    timeout: 0,
    'not-processed': 0,
  };

  /** Looks at one row of `shard`; returns its reason when it was selected. */
  add(shard: number, row: RowOutcome): RetryReason | undefined {
    const reason = retryReason(row);
    if (reason === undefined) return undefined;
    const ids = this.ids.get(shard) ?? new Set<string>();
    this.ids.set(shard, ids);
    if (ids.has(row.recordId)) return reason;
    ids.add(row.recordId);
    this.reasons[reason]++;
    return reason;
  }

  /** What was selected so far. */
  selection(): RetrySelection {
    const shards = [...this.ids.entries()]
      .sort(([a], [b]) => a - b)
      .map(([shard, recordIds]) => ({ shard, recordIds }));
    return {
      total: shards.reduce((sum, entry) => sum + entry.recordIds.size, 0),
      byReason: { ...this.reasons },
      shards,
    };
  }
}

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

function recordIdOf(line: string): string | undefined {
  try {
    const value = JSON.parse(line) as { recordId?: unknown } | null;
    const id = value?.recordId;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

/** Record lines seen in a round, as the manifest counts them. */
export interface RoundLineCounts {
  answered: number;
  failed: number;
}

/**
 * Merges one shard's output lines of two rounds: every second-round line, then the first-round lines
 * whose recordId the second round did not answer or fail again (so a retried row appears once, with its
 * newest outcome, and a row the second round never reached keeps its first outcome). Lines that are not
 * records pass through (Collect counts them). Memory: the second round's recordIds.
 */
export class RoundMerge {
  private readonly secondIds = new Set<string>();
  /** First-round lines replaced by a second-round line. */
  readonly dropped: RoundLineCounts = { answered: 0, failed: 0 };
  /** Second-round lines. */
  readonly second: RoundLineCounts = { answered: 0, failed: 0 };

  constructor(
    private readonly firstLines: () => AsyncIterable<string>,
    private readonly secondLines: () => AsyncIterable<string>,
  ) {}

  /** The merged lines; the second round's lines are read twice (ids first). */
  async *lines(): AsyncGenerator<string> {
    for await (const line of this.secondLines()) {
      const id = recordIdOf(line);
      if (id === undefined) continue;
      this.secondIds.add(id);
      this.second[hasModelOutput(line) ? 'answered' : 'failed']++;
    }
    yield* this.secondLines();
    for await (const line of this.firstLines()) {
      const id = recordIdOf(line);
      if (id !== undefined && this.secondIds.has(id)) {
        this.dropped[hasModelOutput(line) ? 'answered' : 'failed']++;
        continue;
      }
      yield line;
    }
  }

  /** True when the second round has a line for `recordId` (after {@link lines} was consumed). */
  replaced(recordId: string): boolean {
    return this.secondIds.has(recordId);
  }

  /**
   * The shard's manifest after the merge: the first round's counters minus the replaced lines plus the
   * second round's. Token totals are left out (the lines carry them), so Collect still checks the
   * first round's manifest against its lines. `undefined` when the first round had no manifest.
   */
  manifest(first: unknown): Record<string, number> | undefined {
    if (typeof first !== 'object' || first === null) return undefined;
    const m = first as Record<string, unknown>;
    const num = (key: string) => (typeof m[key] === 'number' ? (m[key] as number) : undefined);
    const success = num('successRecordCount');
    const error = num('errorRecordCount');
    if (success === undefined || error === undefined) return undefined;
    const ok = success - this.dropped.answered + this.second.answered;
    const failed = error - this.dropped.failed + this.second.failed;
    return {
      ...(num('totalRecordCount') !== undefined ? { totalRecordCount: num('totalRecordCount')! } : {}),
      processedRecordCount: ok + failed,
      successRecordCount: ok,
      errorRecordCount: failed,
    };
  }
}

function hasModelOutput(line: string): boolean {
  try {
    return (JSON.parse(line) as { modelOutput?: unknown } | null)?.modelOutput !== undefined;
  } catch {
    return false;
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

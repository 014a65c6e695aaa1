/**
 * One shard through the on-demand runtime API: read `{recordId, modelInput}` lines, call the model for
 * each with bounded concurrency, retry retryable failures with backoff (a throttle pauses every worker),
 * stop taking records when the time budget runs out, and write one batch-style output line per record
 * processed. The caller supplies the call, the sink and the clock, so this runs the same in a Lambda,
 * in the CLI and in tests.
 */
import { JobRejectedError } from '../contract/errors';
import type { JobCounters } from '../contract/job-types';
import { type OutputKind, parseModelOutput } from '../models/output';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff';
import { DEFAULT_MARGIN_MS, type Deadline, hasTimeFor, NO_DEADLINE } from './budget';
import { classifyFailure, type InvocationFailure, type InvocationResult } from './failure';
import { answeredLine, errorLine, parseShardRecord, type ShardRecord } from './output-line';
import { runBounded } from './runner';

/** How a shard is processed; everything but `kind` has a default. */
export interface OnDemandOptions {
  /** The body kind of the answers, to count their tokens. */
  readonly kind: OutputKind;
  /** @default 4 */
  readonly concurrency?: number;
  /** @default DEFAULT_BACKOFF */
  readonly backoff?: BackoffPolicy;
  /** @default NO_DEADLINE */
  readonly deadline?: Deadline;
  /** No record is started, and no retry waited for, when less than this remains. @default 60 s */
  readonly marginMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default Math.random */
  readonly random?: () => number;
}

/** What happened to a shard; `untouched` records have no output line (Collect reports them missing). */
export interface OnDemandReport {
  /** Readable records in the shard. */
  readonly total: number;
  readonly success: number;
  readonly error: number;
  /** Records not started because the time budget ran out. */
  readonly untouched: number;
  /** Error lines for retryable failures (left for the retry round). */
  readonly retryableErrors: number;
  /** Lines of the shard that are not `{recordId, modelInput}` (no output line either). */
  readonly unreadable: number;
  /** Calls repeated after a retryable failure. */
  readonly retries: number;
  /** Calls that were throttled. */
  readonly throttled: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** The call for one record. */
export type InvokeRecord = (record: ShardRecord) => Promise<InvocationResult>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Processes one shard and writes its output lines (each with a trailing newline) through `write`,
 * one at a time.
 *
 * @throws JobRejectedError when a call is refused for a reason no record can overcome (access denied,
 *   unknown model): the shard stops and the state machine fails the run, as for a rejected batch job.
 */
export async function processShard(
  lines: AsyncIterable<string>,
  invoke: InvokeRecord,
  write: (line: string) => Promise<void>,
  options: OnDemandOptions,
): Promise<OnDemandReport> {
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const deadline = options.deadline ?? NO_DEADLINE;
  const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const tally = {
    success: 0,
    error: 0,
    retryableErrors: 0,
    unreadable: 0,
    retries: 0,
    throttled: 0,
    inputTokens: 0,
    outputTokens: 0,
  };
  let pausedUntil = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const emit = (line: string): Promise<void> => {
    const done = writing.then(() => write(`${line}\n`));
    writing = done.catch(() => undefined);
    return done;
  };

  const fail = async (record: ShardRecord, failure: InvocationFailure, attempts: number, why: string) => {
    const { errorCode, retryable } = classifyFailure(failure);
    tally.error++;
    if (retryable) tally.retryableErrors++;
    const suffix = retryable
      ? ` (retryable; ${why} after ${attempts} attempt${attempts === 1 ? '' : 's'})`
      : '';
    await emit(errorLine(record, errorCode, `${failure.name}: ${failure.message}${suffix}`));
  };

  const answer = async (record: ShardRecord): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      const wait = pausedUntil - now();
      if (wait > 0) await sleep(wait);
      const result = await invoke(record);
      if (result.ok) {
        const read = parseModelOutput(options.kind, result.output);
        if (read.ok) {
          tally.inputTokens += read.inputTokens ?? 0;
          tally.outputTokens += read.outputTokens ?? 0;
        }
        tally.success++;
        await emit(answeredLine(record, result.output));
        return;
      }
      const kind = classifyFailure(result.failure);
      if (kind.throttled) tally.throttled++;
      if (kind.fatal) {
        throw new JobRejectedError(
          `Bedrock refused the on-demand call for record ${record.recordId} (${result.failure.name}): ${result.failure.message}`,
        );
      }
      if (!kind.retryable) return fail(record, result.failure, attempt, '');
      if (attempt >= policy.maxAttempts) return fail(record, result.failure, attempt, 'gave up');
      const delay = backoffDelay(attempt, policy, random);
      if (!hasTimeFor(deadline, marginMs, delay)) {
        return fail(record, result.failure, attempt, 'no time left to retry');
      }
      tally.retries++;
      if (kind.throttled) pausedUntil = Math.max(pausedUntil, now() + delay);
      else await sleep(delay);
    }
  };

  async function* records(): AsyncGenerator<ShardRecord> {
    for await (const line of lines) {
      const record = parseShardRecord(line);
      if (record === undefined) tally.unreadable++;
      else yield record;
    }
  }

  const counts = await runBounded(records(), options.concurrency ?? 4, answer, () =>
    hasTimeFor(deadline, marginMs),
  );
  await writing;
  return { total: counts.started + counts.skipped, untouched: counts.skipped, ...tally };
}

/** The shard's `manifest.json.out`, with the fields and meaning of a batch job's. */
export function manifestOf(report: OnDemandReport): Record<string, number> {
  return {
    totalRecordCount: report.total,
    processedRecordCount: report.success + report.error,
    successRecordCount: report.success,
    errorRecordCount: report.error,
    inputTokenCount: report.inputTokens,
    outputTokenCount: report.outputTokens,
  };
}

/** The counters of the shard's `JobResult`, as GetModelInvocationJob would report them. */
export function countersOf(report: OnDemandReport): JobCounters {
  return {
    totalRecordCount: report.total,
    processedRecordCount: report.success + report.error,
    successRecordCount: report.success,
    errorRecordCount: report.error,
  };
}

/** `Completed` when every record was processed, else `PartiallyCompleted` (the rest are missing). */
export function statusOf(report: OnDemandReport): 'Completed' | 'PartiallyCompleted' {
  return report.untouched === 0 ? 'Completed' : 'PartiallyCompleted';
}

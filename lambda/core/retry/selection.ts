/**
 * Which rows get a second chance: a row that failed for a retryable reason (throttling, a server error,
 * a timeout) or was never processed, collected by shard while Collect or a scan goes through the rows.
 */
import { RowErrorCode } from '../contract/errors';

/** What Collect knows about one row (a `ResultRow` of lambda/core/collect satisfies it). */
export interface RowOutcome {
  readonly recordId: string;
  readonly status: 'ok' | 'error' | 'rejected' | 'missing';
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** Why a row is retried. */
export type RetryReason = 'throttled' | 'server-error' | 'timeout' | 'not-processed';

/** Every retry reason, in the order summary.json lists them. */
export const REASONS: readonly RetryReason[] = ['throttled', 'server-error', 'timeout', 'not-processed'];

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

/** Problems that do not stop a run, counted by kind and shard so the summary stays small. */

/** The kinds of warning Collect reports in summary.json. */
export type WarningCode =
  | 'UNREADABLE_OUTPUT_LINE'
  | 'DUPLICATE_RECORD'
  | 'EXTRA_RECORD'
  | 'MANIFEST_MISSING'
  | 'MANIFEST_MISMATCH'
  | 'NO_JOB_FOR_SHARD'
  | 'UNREADABLE_SIDECAR_LINE'
  | 'UNREADABLE_REJECTED_LINE'
  | 'REJECTED_OUT_OF_ORDER'
  | 'UNREADABLE_DUPLICATE_LINE'
  | 'DUPLICATE_WITHOUT_RECORD'
  | 'UNREADABLE_PREVIOUS_LINE';

/** One summarised warning. */
export interface CollectWarning {
  readonly code: WarningCode;
  /** The shard it concerns, when it concerns one. */
  readonly shard?: number;
  /** How many times it happened. */
  readonly count: number;
  /** The first occurrence, in words (never row text). */
  readonly message: string;
}

/** Accumulates warnings; one entry per (code, shard). */
export class WarningLog {
  private readonly entries = new Map<
    string,
    { code: WarningCode; shard?: number; count: number; message: string }
  >();

  /** Records `count` occurrences (default 1); the first message is kept. */
  add(code: WarningCode, message: string, shard?: number, count = 1): void {
    if (count <= 0) return;
    const key = `${code}/${shard ?? ''}`;
    const entry = this.entries.get(key);
    if (entry) entry.count += count;
    else this.entries.set(key, { code, shard, count, message });
  }

  /** Everything recorded, in the order first seen. */
  list(): CollectWarning[] {
    return [...this.entries.values()].map(({ code, shard, count, message }) =>
      shard === undefined ? { code, count, message } : { code, shard, count, message },
    );
  }
}

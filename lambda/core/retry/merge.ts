/**
 * Merging a shard's two rounds: the second round's output lines over the first so each input row
 * appears once, and the manifest counters that match the merged lines.
 */
import { hasModelOutput, recordIdOf } from './lines';

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

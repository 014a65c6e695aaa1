/**
 * Dedupe inside Prepare: a record whose model input is byte-identical to an earlier record's (same
 * model and invocation type: one run has one of each) is not written to a shard; its row goes to the
 * duplicates sidecar (`rows/duplicates.jsonl`, in row order) as its sidecar line plus `"sameAs"`: the
 * ordinal (0-based position in the run's records, which is shard order then line order) of the record
 * that carries its answer. Collect gives the row that record's outcome.
 */
import type { EncodedRecord } from '../prepare/encoder';
import { CarrySpans } from './carry-bound';
import { bodyDigest, DigestTable } from './digest-table';

/**
 * Per-run dedupe state: the digest table, the duplicates written so far, and their lines waiting for
 * the next drain (one input chunk's worth).
 */
export class Deduper {
  private readonly table = new DigestTable();
  private readonly spans = new CarrySpans();
  private pending: Buffer[] = [];
  /** Rows served by another row's record. */
  duplicates = 0;

  /**
   * The ordinal of the earlier record with the same model input as `record`, queuing the row's
   * duplicate line; or -1 when the input is new (`ordinal` is then stored for it and the caller writes
   * the record). Only the input's varying part is hashed ({@link EncodedRecord.promptStart}): the pieces
   * around it are the same for every record of the run, so equal parts mean equal inputs. A plain
   * Uint8Array view costs less per record than `Buffer.subarray`.
   */
  check(record: EncodedRecord, ordinal: number, row: number): number {
    const { lines, promptStart, promptEnd } = record;
    const prompt = new Uint8Array(lines.buffer, lines.byteOffset + promptStart, promptEnd - promptStart);
    const first = this.table.claim(bodyDigest(prompt), ordinal);
    if (first < 0) {
      this.spans.record(ordinal, row);
      return -1;
    }
    this.duplicates++;
    this.spans.duplicate(first, row);
    // The sidecar line without its closing `}\n` (a view: copied once, by take), then the reference.
    this.pending.push(
      record.sides.subarray(record.sideStart, record.sideEnd - 2),
      Buffer.from(`,"sameAs":${first}}\n`, 'latin1'),
    );
    return first;
  }

  /** The duplicate lines queued since the last call, as one buffer (one write per input chunk). */
  take(): Buffer | undefined {
    if (this.pending.length === 0) return undefined;
    const out = Buffer.concat(this.pending);
    this.pending = [];
    return out;
  }

  /** The most records Collect's carry store will hold at once (carry-bound.ts); counted at each call. */
  carriedPeak(): number {
    return this.spans.peak();
  }

  /** Bytes the digest table holds (for the benchmark). */
  get tableBytes(): number {
    return this.table.bytes;
  }
}

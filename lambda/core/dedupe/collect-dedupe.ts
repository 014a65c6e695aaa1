/**
 * Dedupe inside Collect. Prepare listed every row served by an earlier record in the duplicates sidecar
 * (row order, each with `sameAs`: the record's ordinal). Before the join, one pass counts the rows
 * sharing each record. During the join, a shared record's outcome (its rendered bytes, or its `missing`
 * outcome) is kept in a {@link CarryStore} when its own row is written; each duplicate row is then
 * written at its row number with that outcome, its share of the tokens (token-split.ts) and, in
 * results.jsonl, `"duplicate_of_row"`; after the last one the outcome is released. Memory: three 4-byte
 * arrays over the run's records.
 */

import { decodeRendered, type RenderedOutcome } from '../collect/rendered';
import type { ResultWriter } from '../collect/result-writer';
import type { SideRows } from '../collect/side-rows';
import type { WarningLog } from '../collect/warnings';
import { ParsedLines } from '../jsonl/parsed-lines';
import { parseSidecarLine, type SidecarRow } from '../jsonl/sidecar';
import type { CarryStore } from './carry-store';
import { tokenShare, withTokens } from './token-split';

/** A duplicate row as listed in the duplicates sidecar. */
export interface DuplicateRow extends SidecarRow {
  /** The ordinal of the record whose answer the row gets. */
  readonly sameAs: number;
}

/** Parses one duplicates-sidecar line; `undefined` when malformed. */
export function parseDuplicateLine(line: string): DuplicateRow | undefined {
  const row = parseSidecarLine(line);
  if (row === undefined) return undefined;
  const sameAs = (JSON.parse(line) as { sameAs?: unknown }).sameAs;
  if (typeof sameAs !== 'number' || !Number.isInteger(sameAs) || sameAs < 0) return undefined;
  return { ...row, sameAs };
}

/** What dedupe did, for summary.json. */
export interface DedupeTotals {
  /** Rows written with another row's answer. */
  readonly duplicateRows: number;
  /** The tokens those rows would have used if sent (their records' tokens, once per duplicate row). */
  readonly savedTokens: { readonly input: number; readonly output: number };
}

/** The dedupe side of one Collect run. */
export class DedupeJoin implements SideRows {
  private readonly sharers: Uint32Array;
  private readonly served: Uint32Array;
  private readonly refs: Int32Array;
  private readonly rows: ParsedLines<DuplicateRow>;
  private duplicateRows = 0;
  private readonly saved = { input: 0, output: 0 };

  constructor(
    private readonly records: number,
    private readonly lines: () => AsyncIterable<string>,
    private readonly carry: CarryStore,
    private readonly writer: ResultWriter,
    private readonly warnings: WarningLog,
  ) {
    this.sharers = new Uint32Array(records);
    this.served = new Uint32Array(records);
    this.refs = new Int32Array(records).fill(-1);
    this.rows = new ParsedLines(
      () => lines()[Symbol.asyncIterator](),
      (line) => {
        const row = parseDuplicateLine(line);
        if (row === undefined) {
          warnings.add('UNREADABLE_DUPLICATE_LINE', 'duplicate-row sidecar lines that could not be read');
        }
        return row;
      },
    );
  }

  /** Counts the duplicate rows of each record (one pass over the sidecar). */
  async load(): Promise<void> {
    for await (const line of this.lines()) {
      const row = parseDuplicateLine(line);
      if (row !== undefined && row.sameAs < this.records) this.sharers[row.sameAs]!++;
    }
  }

  /** True when duplicate rows share record `ordinal`. */
  shared(ordinal: number): boolean {
    return ordinal < this.records && this.sharers[ordinal]! > 0;
  }

  /**
   * Keeps the outcome of shared record `ordinal` (as {@link decodeRendered} reads it) and returns what
   * its own row gets: the first token share.
   */
  keep(ordinal: number, row: number, encoded: Uint8Array): RenderedOutcome {
    const header = Buffer.from(`${row}\n`, 'latin1');
    this.refs[ordinal] = this.carry.put(Buffer.concat([header, encoded]));
    return this.share(decodeRendered(Buffer.from(encoded)), ordinal, 0);
  }

  /** Totals for summary.json. */
  totals(): DedupeTotals {
    return { duplicateRows: this.duplicateRows, savedTokens: { ...this.saved } };
  }

  async peekRow(): Promise<number | undefined> {
    return (await this.rows.peek())?.row;
  }

  async emitNext(): Promise<void> {
    const dup = this.rows.take();
    if (dup === undefined) return;
    const ref = dup.sameAs < this.records ? this.refs[dup.sameAs]! : -1;
    if (ref < 0) {
      this.warnings.add('DUPLICATE_WITHOUT_RECORD', 'duplicate rows whose record was not found: missing');
      await this.writer.write(dup, {
        status: 'missing',
        output: '',
        errorCode: 'NOT_PROCESSED',
        errorMessage: 'the record this row shares was not found',
      });
      return;
    }
    const bytes = this.carry.get(ref);
    const cut = bytes.indexOf(0x0a);
    const recordRow = Number(bytes.toString('latin1', 0, cut));
    const outcome = decodeRendered(bytes.subarray(cut + 1));
    this.duplicateRows++;
    this.saved.input += outcome.tokens?.input ?? 0;
    this.saved.output += outcome.tokens?.output ?? 0;
    const served = ++this.served[dup.sameAs]!;
    if (served >= this.sharers[dup.sameAs]!) this.carry.release(ref);
    const mine = this.share(outcome, dup.sameAs, served);
    const json = Buffer.concat([toBytes(mine.json), Buffer.from(`,"duplicate_of_row":${recordRow}`)]);
    await this.writer.writeRendered(dup, { ...mine, json });
  }

  private share(outcome: RenderedOutcome, ordinal: number, index: number): RenderedOutcome {
    const rows = this.sharers[ordinal]! + 1;
    const t = outcome.tokens;
    if (t === undefined || rows === 1) return outcome;
    return withTokens(outcome, tokenShare(t.input ?? 0, rows, index), tokenShare(t.output ?? 0, rows, index));
  }
}

function toBytes(text: string | Uint8Array): Buffer {
  return typeof text === 'string'
    ? Buffer.from(text, 'utf8')
    : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
}

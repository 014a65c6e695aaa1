/**
 * What the report needs from the rows, gathered while Collect writes them (one call per row): tokens per
 * row into two streaming histograms, and per error code a count and the first row. Memory is bounded by
 * the histograms' bins and {@link MAX_ERROR_CODES} truncated sample rows, never by the file.
 */
import { type ErrorGroup, MAX_ERROR_CODES } from './data';
import { truncate } from './escape';
import { type HistogramSnapshot, StreamingHistogram } from './histogram';

/** Cells kept from a sample row (the leading columns), and characters kept per cell. */
export const SAMPLE_CELLS = 8;
export const SAMPLE_CELL_CHARS = 160;
/** Characters kept of a sample row's error message. */
export const SAMPLE_MESSAGE_CHARS = 400;

/** A row as Collect writes it: where it came from and how it ended. */
export interface ObservedRow {
  readonly row: number;
  readonly recordId: string;
  readonly cells: readonly string[];
}

/** A row's outcome, as far as the report reads it. */
export interface ObservedOutcome {
  readonly status: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

/** What {@link ReportRows.snapshot} returns. */
export interface RowFigures {
  readonly errors: readonly ErrorGroup[];
  readonly otherErrors: number;
  readonly perRow: { readonly input: HistogramSnapshot; readonly output: HistogramSnapshot };
}

interface Group {
  count: number;
  readonly statuses: Set<string>;
  readonly sample: ErrorGroup['sample'];
}

/** Collects the report's row figures; give it to Collect as its row observer. */
export class ReportRows {
  private readonly input = new StreamingHistogram();
  private readonly output = new StreamingHistogram();
  private readonly groups = new Map<string, Group>();
  private others = 0;

  /** @param header the CSV header (names the sample cells) */
  constructor(private readonly header: readonly string[]) {}

  /** Counts one written row. */
  observe(row: ObservedRow, outcome: ObservedOutcome): void {
    if (outcome.inputTokens !== undefined) this.input.add(outcome.inputTokens);
    if (outcome.outputTokens !== undefined) this.output.add(outcome.outputTokens);
    if (outcome.status === 'ok') return;
    const code = outcome.errorCode || outcome.status;
    const group = this.groups.get(code);
    if (group !== undefined) {
      group.count++;
      group.statuses.add(outcome.status);
      return;
    }
    if (this.groups.size >= MAX_ERROR_CODES) {
      this.others++;
      return;
    }
    this.groups.set(code, {
      count: 1,
      statuses: new Set([outcome.status]),
      sample: this.sample(row, outcome),
    });
  }

  /** The figures so far: error codes by count (most first, then by code), and both histograms. */
  snapshot(): RowFigures {
    const errors = [...this.groups.entries()]
      .map(([code, g]) => ({ code, count: g.count, statuses: [...g.statuses].sort(), sample: g.sample }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return {
      errors,
      otherErrors: this.others,
      perRow: { input: this.input.snapshot(), output: this.output.snapshot() },
    };
  }

  private sample(row: ObservedRow, outcome: ObservedOutcome): ErrorGroup['sample'] {
    const cells = row.cells.slice(0, Math.min(SAMPLE_CELLS, this.header.length || SAMPLE_CELLS));
    return {
      row: row.row,
      recordId: truncate(row.recordId, SAMPLE_CELL_CHARS),
      status: outcome.status,
      message: truncate(outcome.errorMessage ?? '', SAMPLE_MESSAGE_CHARS),
      cells: cells.map((value, i) => ({
        column: truncate(this.header[i] ?? `column ${i + 1}`, SAMPLE_CELL_CHARS),
        value: truncate(value, SAMPLE_CELL_CHARS),
      })),
    };
  }
}

/**
 * A row's outcome rendered once for both result files (results.csv cells from `output` on, results.jsonl
 * members from `output` on), possibly long before the row is written: outcomes wait in the spill store
 * already rendered ({@link encodeRendered}) and are copied to the files as bytes.
 */
import { csvCell } from '../csv/csv-line';
import type { RecordOutcome } from '../jsonl/outcome';

/** A row's status in the results. */
export type RowStatus = 'ok' | 'error' | 'rejected' | 'missing';

/** What happened to a row, before rendering. */
export interface RowOutcome extends Omit<RecordOutcome, 'status'> {
  readonly status: RowStatus;
}

/**
 * A row's outcome rendered for both files: the CSV cells from `output` on, the JSON members from `output`
 * on; as text, or as UTF-8 bytes when read back from the spill store.
 */
export interface RenderedOutcome {
  readonly status: RowStatus;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** The row's token counts, when the model reported them (report.html's histograms). */
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /** `output,...,error_message` as CSV cells (no line ending). */
  readonly csv: string | Uint8Array;
  /** `"output":...,...,"error_message":...` plus any appended members, without braces. */
  readonly json: string | Uint8Array;
  /**
   * The token counts and where their cells start, in UTF-8 bytes: `csvAt` in `csv` (the
   * `input_tokens,output_tokens` cells), `jsonAt` in `json` (`"input_tokens":..,"output_tokens":..`), so
   * rows that share a record can get their share (lambda/core/dedupe/token-split.ts). Absent without usage.
   */
  readonly tokens?: RenderedTokens;
}

/** See {@link RenderedOutcome.tokens}. */
export interface RenderedTokens {
  readonly input?: number;
  readonly output?: number;
  readonly csvAt: number;
  readonly jsonAt: number;
}

/** A {@link RenderedOutcome} as text, as {@link OutcomeRenderer.render} makes it. */
export interface RenderedText extends RenderedOutcome {
  readonly csv: string;
  readonly json: string;
}

/** Renders outcomes for one run's columns. */
export class OutcomeRenderer {
  constructor(readonly fieldColumns: readonly string[]) {}

  /** Renders `outcome`; `tail` (JSON members) is appended to the JSON part verbatim. */
  render(outcome: RowOutcome, tail?: string): RenderedText {
    let csvHead = csvCell(outcome.output);
    for (const f of this.fieldColumns) csvHead += `,${csvCell(fieldCell(outcome.fields?.[f]))}`;
    const csv =
      `${csvHead},${numberCell(outcome.inputTokens)},${numberCell(outcome.outputTokens)},` +
      `${csvCell(outcome.stopReason ?? '')},${csvCell(outcome.errorCode ?? '')},${csvCell(outcome.errorMessage ?? '')}`;
    const rest =
      `"input_tokens":${JSON.stringify(outcome.inputTokens ?? null)},` +
      `"output_tokens":${JSON.stringify(outcome.outputTokens ?? null)},` +
      `"stop_reason":${JSON.stringify(outcome.stopReason ?? null)},` +
      `"error_code":${JSON.stringify(outcome.errorCode ?? null)},` +
      `"error_message":${JSON.stringify(outcome.errorMessage ?? null)}`;
    const fields = outcome.fields ? `,"fields":${outcome.output}` : '';
    const before = `"output":${JSON.stringify(outcome.output)}${fields},`;
    const members = `${before}${rest}`;
    return {
      status: outcome.status,
      errorCode: outcome.errorCode,
      errorMessage: outcome.errorMessage,
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      csv,
      json: tail ? `${members},${tail}` : members,
      tokens:
        outcome.inputTokens === undefined && outcome.outputTokens === undefined
          ? undefined
          : {
              input: outcome.inputTokens,
              output: outcome.outputTokens,
              csvAt: Buffer.byteLength(csvHead) + 1,
              jsonAt: Buffer.byteLength(before),
            },
    };
  }
}

/** A rendered outcome as one string (for the spill store); the CSV part's length is in UTF-8 bytes. */
export function encodeRendered(r: RenderedText): string {
  const csvBytes = Buffer.byteLength(r.csv, 'utf8');
  const head = [r.status, r.errorCode ?? null, r.errorMessage ?? null, csvBytes];
  const t = r.tokens;
  const at = t === undefined ? null : [t.csvAt, t.jsonAt];
  return `${JSON.stringify([...head, r.inputTokens ?? null, r.outputTokens ?? null, at])}\n${r.csv}${r.json}`;
}

/** Inverse of {@link encodeRendered}, from the UTF-8 bytes; `csv` and `json` stay bytes. */
export function decodeRendered(bytes: Buffer): RenderedOutcome {
  const cut = bytes.indexOf(0x0a);
  const [status, errorCode, errorMessage, csvLength, inputTokens, outputTokens, at] = JSON.parse(
    bytes.toString('utf8', 0, cut),
  ) as [
    RowStatus,
    string | null,
    string | null,
    number,
    number | null,
    number | null,
    [number, number] | null | undefined,
  ];
  return {
    status,
    errorCode: errorCode ?? undefined,
    errorMessage: errorMessage ?? undefined,
    inputTokens: inputTokens ?? undefined,
    outputTokens: outputTokens ?? undefined,
    csv: bytes.subarray(cut + 1, cut + 1 + csvLength),
    json: bytes.subarray(cut + 1 + csvLength),
    ...(at
      ? {
          tokens: {
            input: inputTokens ?? undefined,
            output: outputTokens ?? undefined,
            csvAt: at[0],
            jsonAt: at[1],
          },
        }
      : {}),
  };
}

function numberCell(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** A json-mode field as a cell: strings as is, null/absent empty, anything else as JSON. */
function fieldCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

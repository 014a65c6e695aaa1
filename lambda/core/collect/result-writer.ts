/**
 * Writes result rows to results.csv, results.jsonl and errors.csv, and counts them by status.
 *
 * results.csv: the original columns (an original name that an added column uses is renamed, see
 * columns.ts), then record_id, status, output, [json mode: one `output.<field>`
 * column per top-level schema property], input_tokens, output_tokens, stop_reason, error_code,
 * error_message. errors.csv: the original columns, then row, record_id, status, error_code, error_message.
 * results.jsonl: row, record_id, status, input (header -> cell; `extra_cells` when a rejected row had
 * more cells than the header), output, [fields], input_tokens, output_tokens, stop_reason, error_code,
 * error_message, then the model's full output (`model_output`, or `model_error`; embeddings also
 * `embedding`). CSV cells are neutralised against formulas; results.jsonl keeps the exact text.
 *
 * A row's outcome part is rendered once ({@link OutcomeRenderer}), possibly long before the row is
 * written: outcomes wait in the spill store already rendered and are copied to the files as bytes.
 */
import type { RowCounts } from '../contract/types';
import { csvCell, csvCells, csvLine } from '../csv/csv-line';
import type { RecordOutcome } from '../jsonl/outcome';
import { originalColumnNames } from './columns';
import type { TextSink } from './sink';

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

/** The row part that comes from the input. */
export interface RowInput {
  readonly row: number;
  readonly recordId: string;
  readonly cells: readonly string[];
}

/** Sees each row as it is written, with its rendered outcome (must not keep the rows). */
export interface RowObserver {
  observe(input: RowInput, outcome: RenderedOutcome): void;
}

/** The three streamed result files. */
export interface ResultSinks {
  readonly csv: TextSink;
  readonly jsonl: TextSink;
  readonly errors: TextSink;
}

/** Renders outcomes for one run's columns. */
export class OutcomeRenderer {
  constructor(readonly fieldColumns: readonly string[]) {}

  /** Renders `outcome`; `tail` (JSON members) is appended to the JSON part verbatim. */
  render(outcome: RowOutcome, tail?: string): RenderedText {
    const head = [
      csvCell(outcome.output),
      ...this.fieldColumns.map((f) => csvCell(fieldCell(outcome.fields?.[f]))),
    ];
    const csvHead = head.join(',');
    const csv = [
      csvHead,
      numberCell(outcome.inputTokens),
      numberCell(outcome.outputTokens),
      csvCell(outcome.stopReason ?? ''),
      csvCell(outcome.errorCode ?? ''),
      csvCell(outcome.errorMessage ?? ''),
    ].join(',');
    const rest = JSON.stringify({
      input_tokens: outcome.inputTokens ?? null,
      output_tokens: outcome.outputTokens ?? null,
      stop_reason: outcome.stopReason ?? null,
      error_code: outcome.errorCode ?? null,
      error_message: outcome.errorMessage ?? null,
    }).slice(1, -1);
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

/** Streams result rows into the three files. */
export class ResultWriter {
  private readonly counts = { ok: 0, error: 0, rejected: 0, missing: 0 };
  private readonly inputKeys: string[];
  /** The renderer for this writer's columns. */
  readonly renderer: OutcomeRenderer;

  /** @param observer sees every row as it is written (report.html's figures) */
  constructor(
    private readonly header: readonly string[],
    fieldColumns: readonly string[],
    private readonly sinks: ResultSinks,
    private readonly observer?: RowObserver,
  ) {
    this.inputKeys = uniqueKeys(header);
    this.renderer = new OutcomeRenderer(fieldColumns);
  }

  /** Writes both CSV header lines, each after a UTF-8 byte-order mark. */
  async start(): Promise<void> {
    const fields = this.renderer.fieldColumns.map((f) => `output.${f}`);
    const original = originalColumnNames(this.header, this.renderer.fieldColumns);
    await this.sinks.csv.write(
      UTF8_BOM +
        csvLine([
          ...original,
          'record_id',
          'status',
          'output',
          ...fields,
          'input_tokens',
          'output_tokens',
          'stop_reason',
          'error_code',
          'error_message',
        ]),
    );
    await this.sinks.errors.write(
      UTF8_BOM + csvLine([...original, 'row', 'record_id', 'status', 'error_code', 'error_message']),
    );
  }

  /** Renders and writes one row. */
  async write(input: RowInput, outcome: RowOutcome): Promise<void> {
    await this.writeRendered(input, this.renderer.render(outcome));
  }

  /** Writes one row whose outcome is already rendered, to every file it belongs in. */
  async writeRendered(input: RowInput, outcome: RenderedOutcome): Promise<void> {
    this.counts[outcome.status]++;
    this.observer?.observe(input, outcome);
    const cells = fitCells(input.cells, this.header.length);
    const original = csvCells(cells);
    const id = csvCell(input.recordId);
    await this.sinks.csv.write(`${original},${id},${outcome.status},`);
    await this.sinks.csv.write(outcome.csv);
    await this.sinks.csv.write('\r\n');
    await this.sinks.jsonl.write(this.jsonStart(input, cells, outcome.status));
    await this.sinks.jsonl.write(outcome.json);
    await this.sinks.jsonl.write('}\n');
    if (outcome.status !== 'ok') {
      const reason = `${csvCell(outcome.errorCode ?? '')},${csvCell(outcome.errorMessage ?? '')}`;
      await this.sinks.errors.write(`${original},${input.row},${id},${outcome.status},${reason}\r\n`);
    }
  }

  /** Rows written so far, by status. */
  statusCounts(): Omit<RowCounts, 'input'> {
    return { ...this.counts };
  }

  /** A results.jsonl line up to the outcome's members. */
  private jsonStart(input: RowInput, cells: readonly string[], status: RowStatus): string {
    const values: Record<string, string> = {};
    for (let i = 0; i < this.inputKeys.length; i++) values[this.inputKeys[i]!] = cells[i]!;
    const extra =
      input.cells.length > this.header.length
        ? `,"extra_cells":${JSON.stringify(input.cells.slice(this.header.length))}`
        : '';
    return `{"row":${input.row},"record_id":${JSON.stringify(input.recordId)},"status":"${status}","input":${JSON.stringify(values)}${extra},`;
  }
}

/**
 * Starts results.csv and errors.csv: without it, Excel reads UTF-8 as the system code page and garbles
 * every accent; CSV readers that know UTF-8 skip it (csv-parse with `bom: true`, Python's `utf-8-sig`).
 */
const UTF8_BOM = '\uFEFF';

/** The cells padded with '' or cut to the header's width. */
function fitCells(cells: readonly string[], width: number): readonly string[] {
  if (cells.length === width) return cells;
  const fitted = cells.slice(0, width);
  while (fitted.length < width) fitted.push('');
  return fitted;
}

function numberCell(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** A json-mode field as a cell: strings as is, null/absent empty, anything else as JSON. */
function fieldCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Header names as object keys (results.jsonl `input`); a repeated name gets `_2`, `_3`, ... */
export function uniqueKeys(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((name) => {
    let key = name;
    for (let n = 2; seen.has(key); n++) key = `${name}_${n}`;
    seen.add(key);
    return key;
  });
}

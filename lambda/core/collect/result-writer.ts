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
 * A row's outcome part comes rendered (rendered.ts); the writer adds the input part.
 */
import type { RowCounts } from '../contract/types';
import { csvCell, csvCells, csvLine } from '../csv/csv-line';
import type { SpelledCells } from '../jsonl/sidecar-bytes';
import { originalColumnNames } from './columns';
import { OutcomeRenderer, type RenderedOutcome, type RowOutcome, type RowStatus } from './rendered';
import type { BufferedSink, TextSink } from './sink';

/** The row part that comes from the input. */
export interface RowInput {
  readonly row: number;
  readonly recordId: string;
  readonly cells: readonly string[];
  /** The cells' bytes in the row sidecar, when they can be copied as they are. */
  readonly spelled?: SpelledCells;
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

/** The result files as the writer writes them: buffered, so most rows are copied without waiting. */
export interface BufferedSinks {
  readonly csv: BufferedSink;
  readonly jsonl: BufferedSink;
  readonly errors: BufferedSink;
}

/** Streams result rows into the three files. */
export class ResultWriter {
  private readonly counts = { ok: 0, error: 0, rejected: 0, missing: 0 };
  private readonly inputMembers: [string, number][];
  /** `"name":` (`,"name":` after the first) of each `input` member, as bytes. */
  private readonly memberNames: Buffer[];
  /** The renderer for this writer's columns. */
  readonly renderer: OutcomeRenderer;

  /** @param observer sees every row as it is written (report.html's figures) */
  constructor(
    private readonly header: readonly string[],
    fieldColumns: readonly string[],
    private readonly sinks: BufferedSinks,
    private readonly observer?: RowObserver,
  ) {
    this.inputMembers = inputMembers(uniqueKeys(header));
    this.memberNames = this.inputMembers.map(([name], i) => Buffer.from(i > 0 ? `,${name}` : name));
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
    const spelled = input.spelled?.starts.length === this.header.length ? input.spelled : undefined;
    const cells = spelled ? [] : fitCells(input.cells, this.header.length);
    const original = spelled ? csvParts(spelled) : [csvCells(cells)];
    const id = csvCell(input.recordId);
    const json = spelled
      ? [`${this.jsonHead(input, outcome.status)}{`, ...this.jsonParts(spelled), '},']
      : [this.jsonStart(input, cells, outcome.status)];
    await writeParts(this.sinks.csv, [...original, `,${id},${outcome.status},`, outcome.csv, '\r\n']);
    await writeParts(this.sinks.jsonl, [...json, outcome.json, '}\n']);
    if (outcome.status !== 'ok') {
      const reason = `${csvCell(outcome.errorCode ?? '')},${csvCell(outcome.errorMessage ?? '')}`;
      await writeParts(this.sinks.errors, [
        ...original,
        `,${input.row},${id},${outcome.status},${reason}\r\n`,
      ]);
    }
  }

  /** Rows written so far, by status. */
  statusCounts(): Omit<RowCounts, 'input'> {
    return { ...this.counts };
  }

  /** A results.jsonl line up to the outcome's members. */
  private jsonStart(input: RowInput, cells: readonly string[], status: RowStatus): string {
    let values = '{';
    for (let i = 0; i < this.inputMembers.length; i++) {
      const [name, at] = this.inputMembers[i]!;
      values += `${i > 0 ? ',' : ''}${name}${JSON.stringify(cells[at])}`;
    }
    const extra =
      input.cells.length > this.header.length
        ? `,"extra_cells":${JSON.stringify(input.cells.slice(this.header.length))}`
        : '';
    return `${this.jsonHead(input, status)}${values}}${extra},`;
  }

  /** A results.jsonl line up to the `input` object's opening brace. */
  private jsonHead(input: RowInput, status: RowStatus): string {
    return `{"row":${input.row},"record_id":${JSON.stringify(input.recordId)},"status":"${status}","input":`;
  }

  /** The `input` object's members from the sidecar's own JSON text of each cell (the same values). */
  private jsonParts(spelled: SpelledCells): Uint8Array[] {
    const { line, starts, ends } = spelled;
    const parts: Uint8Array[] = [];
    for (let i = 0; i < this.inputMembers.length; i++) {
      const at = this.inputMembers[i]![1];
      parts.push(this.memberNames[i]!, line.subarray(starts[at]!, ends[at]!));
    }
    return parts;
  }
}

/** Writes `parts` in order, waiting only when the sink's chunk is full. */
async function writeParts(sink: BufferedSink, parts: readonly (string | Uint8Array)[]): Promise<void> {
  for (const part of parts) if (!sink.append(part)) await sink.write(part);
}

const COMMA = Buffer.from(',');

/** The original cells as CSV from their sidecar bytes (no cell needs neutralising or `""`). */
function csvParts(spelled: SpelledCells): Uint8Array[] {
  const { line, starts, ends, quoted } = spelled;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < starts.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(quoted[i] ? line.subarray(starts[i]!, ends[i]!) : line.subarray(starts[i]! + 1, ends[i]! - 1));
  }
  return parts;
}

/**
 * The `input` object's members as `JSON.stringify` of a header-to-cell object writes them: each key's
 * JSON spelling and colon, and the cell it takes, in the object's key order (integer-like keys first).
 */
function inputMembers(keys: readonly string[]): [string, number][] {
  const probe: Record<string, number> = {};
  keys.forEach((key, i) => {
    probe[key] = i;
  });
  return Object.keys(probe).map((key) => [`${JSON.stringify(key)}:`, probe[key]!]);
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

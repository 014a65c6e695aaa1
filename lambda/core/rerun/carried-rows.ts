/**
 * A re-run's carried-over rows: the `ok` lines of the previous run's results.jsonl (row order), written
 * back at their row number with the same values: results.csv gets the same line as before (rendered
 * from the same values), results.jsonl the same members plus `"reused_from"`: the run that produced the
 * answer (kept from the previous line when that row was itself carried over).
 */

import type { ResultWriter } from '../collect/result-writer';
import { uniqueKeys } from '../collect/result-writer';
import type { SideRows } from '../collect/side-rows';
import type { WarningLog } from '../collect/warnings';
import { ParsedLines } from '../jsonl/parsed-lines';
import type { JsonObject } from '../pipeline/json-output';

/** The members results.jsonl writes itself; any other member of a previous line is kept verbatim. */
const OWN_MEMBERS = new Set([
  'row',
  'record_id',
  'status',
  'input',
  'extra_cells',
  'output',
  'fields',
  'input_tokens',
  'output_tokens',
  'stop_reason',
  'error_code',
  'error_message',
  'reused_from',
]);

/** One `ok` line of a previous results.jsonl, read. */
export interface PreviousOkRow {
  readonly row: number;
  readonly recordId: string;
  readonly line: Record<string, unknown>;
}

/**
 * The row number and status of a previous results.jsonl line, or `undefined` when it cannot be read.
 *
 * @example previousStatus('{"row":3,"record_id":"r3","status":"ok",...}') // { row: 3, status: 'ok' }
 */
export function previousStatus(line: string): { row: number; status: string } | undefined {
  try {
    const value = JSON.parse(line) as { row?: unknown; status?: unknown };
    if (typeof value.row !== 'number' || !Number.isInteger(value.row) || value.row < 1) return undefined;
    if (typeof value.status !== 'string') return undefined;
    return { row: value.row, status: value.status };
  } catch {
    return undefined;
  }
}

/** Writes a previous run's `ok` rows into this run's results, in row order. */
export class CarriedRows implements SideRows {
  private readonly rows: ParsedLines<PreviousOkRow>;
  private count = 0;
  private readonly keys: string[];

  constructor(
    private readonly previousRunId: string,
    lines: () => AsyncIterable<string>,
    header: readonly string[],
    private readonly writer: ResultWriter,
    private readonly warnings: WarningLog,
  ) {
    this.keys = uniqueKeys(header);
    this.rows = new ParsedLines(
      () => lines()[Symbol.asyncIterator](),
      (line) => (line === '' ? undefined : this.read(line)),
    );
  }

  /** Rows carried over so far. */
  get reused(): number {
    return this.count;
  }

  async peekRow(): Promise<number | undefined> {
    return (await this.rows.peek())?.row;
  }

  async emitNext(): Promise<void> {
    const carried = this.rows.take();
    if (carried === undefined) return;
    const { line } = carried;
    const input = (line.input ?? {}) as Record<string, unknown>;
    const cells = this.keys.map((key) => (typeof input[key] === 'string' ? (input[key] as string) : ''));
    const tail = Object.entries(line)
      .filter(([key]) => !OWN_MEMBERS.has(key))
      .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
    const from = typeof line.reused_from === 'string' ? line.reused_from : this.previousRunId;
    tail.push(`"reused_from":${JSON.stringify(from)}`);
    const rendered = this.writer.renderer.render(
      {
        status: 'ok',
        output: typeof line.output === 'string' ? line.output : '',
        ...(isObject(line.fields) ? { fields: line.fields as JsonObject } : {}),
        ...number('inputTokens', line.input_tokens),
        ...number('outputTokens', line.output_tokens),
        ...(typeof line.stop_reason === 'string' ? { stopReason: line.stop_reason } : {}),
      },
      tail.join(','),
    );
    this.count++;
    await this.writer.writeRendered({ row: carried.row, recordId: carried.recordId, cells }, rendered);
  }

  private read(text: string): PreviousOkRow | undefined {
    try {
      const line = JSON.parse(text) as Record<string, unknown>;
      if (line.status !== 'ok') return undefined;
      const row = line.row;
      if (typeof row === 'number' && Number.isInteger(row) && row >= 1) {
        return { row, recordId: typeof line.record_id === 'string' ? line.record_id : '', line };
      }
    } catch {
      // reported below
    }
    this.warnings.add(
      'UNREADABLE_PREVIOUS_LINE',
      "lines of the previous run's results.jsonl that could not be read",
    );
    return undefined;
  }
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function number<K extends string>(key: K, value: unknown): { [P in K]?: number } {
  return (typeof value === 'number' ? { [key]: value } : {}) as { [P in K]?: number };
}

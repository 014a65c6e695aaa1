/**
 * One Prepare run's row state, and what happens to each data row: checked (cell count, id, size,
 * context window), rejected with a reason, carried over (re-run), answered by an identical row (dedupe)
 * or encoded and queued for its shard.
 */

import { RowErrorCode, SchemaMismatchError } from '../contract/errors';
import type { PipelineDefinition } from '../contract/types';
import { cellBytes, cellCount, cellStrings, type RawRow } from '../csv/parser';
import { Deduper } from '../dedupe/prepare-dedupe';
import type { RowSource, SourceRow } from '../input/source';
import { isEmbeddingFamily, modelFamily } from '../models/family';
import { systemText } from '../models/input/instructions';
import { contextWindow } from '../models/limits';
import { missingColumnsMessage } from '../pipeline/column-names';
import { compileTemplate } from '../pipeline/prompt';
import { estimateTokens } from '../pricing/estimate';
import type { RowSet } from '../rerun/row-set';
import { RecordEncoder } from './encoder';
import { RECORD_ID, rowRecordId } from './limits';
import type { RejectedRow } from './plan';
import type { ShardWriter } from './shards';

/** The run's state, from the header row on. */
export interface Run {
  readonly header: string[];
  /** How messages name a row's place: `line 7`, `sheet row 7`, `row 7`. */
  readonly locator: RowSource['locator'];
  readonly encoder: RecordEncoder;
  readonly idIndex: number;
  readonly ids: Set<string> | undefined;
  readonly systemBytes: number;
  readonly maxRecordBytes: number;
  /** The model's context window and the answer's share of it (`maxTokens`, 0 for embeddings). */
  readonly window: { readonly tokens: number; readonly answer: number; readonly model: string } | undefined;
  rows: number;
  records: number;
  promptBytes: number;
  rejected: number;
  /** Dedupe state when the pipeline dedupes. */
  readonly dedupe: Deduper | undefined;
  /** Rows carried over from the previous run (re-run). */
  readonly reuse: RowSet | undefined;
  reused: number;
  readonly samples: string[];
  rejectedText: string[];
}

/** Checks the header against the pipeline (its template and idColumn) and starts the run. */
export function setup(
  p: PipelineDefinition,
  source: RowSource,
  headerRow: RawRow,
  maxRecordBytes: number,
  reuse: RowSet | undefined,
): Run {
  const header = source.header(headerRow);
  const template = compileTemplate(p.promptTemplate, header);
  let idIndex = -1;
  if (p.idColumn !== undefined) {
    idIndex = header.indexOf(p.idColumn);
    if (idIndex < 0) {
      throw new SchemaMismatchError(
        missingColumnsMessage(
          `The pipeline needs its idColumn ${JSON.stringify(p.idColumn)}`,
          [p.idColumn],
          header,
        ),
      );
    }
  }
  return {
    header,
    locator: source.locator,
    encoder: new RecordEncoder(p, template),
    idIndex,
    ids: idIndex >= 0 ? new Set<string>() : undefined,
    systemBytes: Buffer.byteLength(systemText(p) ?? ''),
    maxRecordBytes,
    window: windowOf(p),
    rows: 0,
    records: 0,
    promptBytes: 0,
    rejected: 0,
    dedupe: p.dedupe === true ? new Deduper() : undefined,
    reuse,
    reused: 0,
    samples: [],
    rejectedText: [],
  };
}

function windowOf(p: PipelineDefinition): Run['window'] {
  const tokens = contextWindow(p.modelId);
  if (tokens === undefined) return undefined;
  const answer = isEmbeddingFamily(modelFamily(p.modelId)) ? 0 : p.maxTokens;
  return { tokens, answer, model: p.modelId };
}

function reject(run: Run, row: RawRow, recordId: string | null, code: string, message: string): void {
  run.rejected++;
  // Without idColumn a row's id is its number, known for every row; with it, an unreadable id stays null.
  if (recordId === null && run.idIndex < 0) recordId = rowRecordId(run.rows);
  if (run.samples.length < 5) run.samples.push(`${run.locator} ${row.line}: ${code}`);
  const entry: RejectedRow = {
    row: run.rows,
    line: row.line,
    recordId,
    code,
    message,
    cells: row.tooLarge ? null : cellStrings(row),
  };
  run.rejectedText.push(`${JSON.stringify(entry)}\n`);
}

/** The row's id from `idColumn`, null for a generated one (`rowRecordId`), or why the id is invalid. */
function recordIdOf(run: Run, row: RawRow): string | null | { error: string } {
  if (run.idIndex < 0) return null;
  const value = cellBytes(row, run.idIndex).toString('utf8');
  if (!RECORD_ID.test(value)) {
    return {
      error: `The id column value on ${run.locator} ${row.line} must be 1-64 letters, digits, "_" or "-".`,
    };
  }
  if (run.ids!.has(value))
    return { error: `The id column value on ${run.locator} ${row.line} repeats an earlier row's id.` };
  run.ids!.add(value);
  return value;
}

/** Counts one data row and rejects, carries over, dedupes or encodes and queues it. */
export function handleRow(run: Run, row: SourceRow, writer: ShardWriter): void {
  run.rows++;
  const width = run.header.length;
  if (row.issue !== undefined) {
    reject(run, row, null, row.issue.code, row.issue.message);
    return;
  }
  if (row.tooLarge) {
    reject(
      run,
      row,
      null,
      RowErrorCode.TooLarge,
      `The row on ${run.locator} ${row.line} is larger than ${run.maxRecordBytes} bytes.`,
    );
    return;
  }
  const cells = cellCount(row);
  if (cells !== width) {
    reject(
      run,
      row,
      null,
      RowErrorCode.ColumnCount,
      `The row on ${run.locator} ${row.line} has ${cells} cell(s); the header has ${width}.`,
    );
    return;
  }
  const id = recordIdOf(run, row);
  if (id !== null && typeof id !== 'string') {
    reject(run, row, null, RowErrorCode.InvalidId, id.error);
    return;
  }
  if (run.reuse?.has(run.rows)) {
    run.reused++;
    return;
  }
  const record = run.encoder.encode(id, run.rows, row);
  const bytes = record.lineEnd - record.lineStart;
  if (bytes > run.maxRecordBytes) {
    reject(
      run,
      row,
      id,
      RowErrorCode.TooLarge,
      `The record for ${run.locator} ${row.line} is ${bytes} bytes; the limit is ${run.maxRecordBytes}.`,
    );
    return;
  }
  const window = run.window;
  if (window !== undefined) {
    const prompt = estimateTokens(run.systemBytes + record.promptBytes);
    if (prompt + window.answer > window.tokens) {
      reject(
        run,
        row,
        id,
        RowErrorCode.ContextWindow,
        `The prompt for ${run.locator} ${row.line} is about ${prompt} tokens (UTF-8 bytes / 4)${window.answer > 0 ? ` and maxTokens is ${window.answer}` : ''}: more than the ${window.tokens}-token context window of ${window.model}.`,
      );
      return;
    }
  }
  if (run.dedupe !== undefined && run.dedupe.check(record, run.records, run.rows) >= 0) return;
  run.records++;
  run.promptBytes += run.systemBytes + record.promptBytes;
  writer.add(record);
}

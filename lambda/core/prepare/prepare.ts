/**
 * The Prepare core: CSV bytes in; JSONL shards, row sidecars, the rejected-rows file, the pipeline
 * snapshot and plan.json out, through a {@link SinkFactory}. Streaming end to end: memory is bounded by
 * one input chunk, one partial row and the shard writer's hold-back (see shards.ts), never by file size.
 * Nothing is written before the header and the template have been checked; on any failure every
 * object still open is aborted.
 */

import { createHash } from 'node:crypto';
import {
  NoRecordsError,
  RowErrorCode,
  SchemaMismatchError,
  TooManyRejectedRowsError,
} from '../contract/errors';
import type { PrepareKeys } from '../contract/layout';
import type { PipelineDefinition } from '../contract/types';
import { cellBytes, cellCount, cellStrings, type RawRow } from '../csv/parser';
import type { ByteSource } from '../csv/reader';
import { Deduper } from '../dedupe/prepare-dedupe';
import { type InputFile, openRowSource, type RowSource, type SourceRow } from '../input/source';
import { isEmbeddingFamily, modelFamily } from '../models/family';
import { systemText } from '../models/input/instructions';
import { contextWindow } from '../models/limits';
import { compileTemplate, invisibleHint, showColumn } from '../pipeline/prompt';
import { estimateCost, estimateTokens } from '../pricing/estimate';
import type { RowSet } from '../rerun/row-set';
import { RecordEncoder } from './encoder';
import {
  MAX_FILE_BYTES,
  MAX_RECORD_BYTES,
  RECORD_ID,
  REJECT_MAX_SHARE,
  REJECT_MIN_COUNT,
  rowRecordId,
} from './limits';
import type { Plan, RejectedRow } from './plan';
import { ShardWriter } from './shards';
import { CONTENT_TYPE, type Sink, type SinkFactory } from './sink';

/** What a Prepare call needs besides the bytes. */
export interface PrepareOptions {
  readonly pipeline: PipelineDefinition;
  readonly sinks: SinkFactory;
  readonly keys: PrepareKeys;
  readonly runId?: string;
  /**
   * The file's name (its extension picks CSV, `.xlsx`, `.jsonl` or `.parquet`) and, locally, its path.
   * Without it the bytes are read as CSV.
   */
  readonly input?: Omit<InputFile, 'sheet'>;
  /** Overrides {@link MAX_RECORD_BYTES} (tests). */
  readonly maxRecordBytes?: number;
  /** A re-run: the rows that were `ok` in `previousRunId`, carried over instead of sent. */
  readonly reuse?: { readonly previousRunId: string; readonly rows: RowSet };
  /** Called with the input's SHA-256 once it is read, before the plan is written; may throw to refuse. */
  readonly checkInput?: (inputSha256: string) => void;
}

interface Run {
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

function setup(
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
        `The pipeline's idColumn ${JSON.stringify(p.idColumn)} is not in the CSV header. Available columns: ${header.map(showColumn).join(', ')}.${invisibleHint([p.idColumn], header)}`,
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

function recordIdOf(run: Run, row: RawRow): string | { error: string } {
  if (run.idIndex < 0) return rowRecordId(run.rows);
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

function handleRow(run: Run, row: SourceRow, writer: ShardWriter): void {
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
  if (typeof id !== 'string') {
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
  if (run.dedupe !== undefined && run.dedupe.check(record, id, run.records) >= 0) return;
  run.records++;
  run.promptBytes += run.systemBytes + record.promptBytes;
  writer.add(record);
}

/** The source's chunks, fed to `hash` on the way. */
async function* hashed(source: ByteSource, hash: ReturnType<typeof createHash>): ByteSource {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

async function writeSmall(sinks: SinkFactory, key: string, text: string, opened: Sink[]): Promise<void> {
  const sink = sinks.open(key, CONTENT_TYPE.json);
  opened.push(sink);
  await sink.write(text);
  await sink.close();
  opened.splice(opened.indexOf(sink), 1);
}

/**
 * Runs Prepare over an input file's bytes (CSV, or the format `options.input` names). Throws the typed file errors (`NotCsvError`,
 * `InvalidEncodingError`, `InvalidCsvError`, `UnexpectedDelimiterError`, `NoRecordsError`,
 * `SchemaMismatchError`, `TooManyRejectedRowsError`, and the workbook, JSON Lines and Parquet readers'
 * errors of lambda/core/input); row problems go to the rejected file.
 * `belowMinimum` is reported in the plan, not thrown.
 *
 * @example
 * const plan = await prepare(createReadStream('in.csv'), { pipeline, sinks: fileSinks('out'), keys: LOCAL_KEYS });
 */
export async function prepare(source: ByteSource, options: PrepareOptions): Promise<Plan> {
  const { pipeline: p, sinks, keys } = options;
  const maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  const writer = new ShardWriter(sinks, keys, {
    minRecords: p.minRecordsPerJob,
    maxRecords: p.maxRecordsPerJob,
    maxBytes: Math.min(MAX_FILE_BYTES, p.maxJobBytes),
  });
  const open: Sink[] = [];
  let run: Run | undefined;
  let rejectedSink: Sink | undefined;
  let duplicateSink: Sink | undefined;
  const hash = createHash('sha256');
  const rows = openRowSource(
    hashed(source, hash),
    options.input && { ...options.input, ...(p.sheet === undefined ? {} : { sheet: p.sheet }) },
    maxRecordBytes,
  );
  try {
    for await (const batch of rows.batches()) {
      let i = 0;
      if (run === undefined) {
        run = setup(p, rows, batch[0]!, maxRecordBytes, options.reuse?.rows);
        rejectedSink = sinks.open(keys.rejected(), CONTENT_TYPE.jsonl);
        open.push(rejectedSink);
        if (run.dedupe !== undefined) {
          duplicateSink = sinks.open(keys.duplicates(), CONTENT_TYPE.jsonl);
          open.push(duplicateSink);
        }
        i = 1;
      }
      for (; i < batch.length; i++) handleRow(run, batch[i]!, writer);
      if (run.rejectedText.length > 0) {
        await rejectedSink!.write(run.rejectedText.join(''));
        run.rejectedText = [];
      }
      const duplicates = run.dedupe?.take();
      if (duplicates !== undefined) await duplicateSink!.write(duplicates);
      await writer.drain();
    }
    if (run === undefined || run.rows === 0) {
      throw new NoRecordsError(
        run === undefined
          ? 'The file is empty: no header and no data rows.'
          : 'The file has a header but no data rows.',
      );
    }
    if (run.rejected > REJECT_MIN_COUNT && run.rejected > run.rows * REJECT_MAX_SHARE) {
      throw new TooManyRejectedRowsError(
        `${run.rejected} of ${run.rows} rows were rejected (the limit is ${REJECT_MAX_SHARE * 100}% and more than ${REJECT_MIN_COUNT} rows). First: ${run.samples.join('; ')}.`,
      );
    }
    const inputSha256 = hash.digest('hex');
    options.checkInput?.(inputSha256);
    const shards = await writer.finish();
    await rejectedSink!.close();
    await duplicateSink?.close();
    open.length = 0;
    const plan: Plan = {
      version: 1,
      runId: options.runId ?? null,
      pipeline: p.name,
      modelId: p.modelId,
      invocationType: p.invocationType,
      header: run.header,
      rows: run.rows,
      records: run.records,
      rejected: run.rejected,
      minRecordsPerJob: p.minRecordsPerJob,
      belowMinimum: run.records < p.minRecordsPerJob,
      rejectThreshold: { maxShare: REJECT_MAX_SHARE, minCount: REJECT_MIN_COUNT },
      limits: {
        maxRecordsPerJob: p.maxRecordsPerJob,
        maxShardBytes: Math.min(MAX_FILE_BYTES, p.maxJobBytes),
        maxRecordBytes,
      },
      rejectedKey: keys.rejected(),
      shards,
      estimate: estimateCost(p.modelId, estimateTokens(run.promptBytes), run.records, p.maxTokens),
      ...(run.dedupe === undefined
        ? {}
        : { dedupe: { duplicates: run.dedupe.duplicates, key: keys.duplicates() } }),
      ...(options.reuse === undefined
        ? {}
        : { rerun: { previousRunId: options.reuse.previousRunId, reused: run.reused } }),
      inputSha256,
    };
    await writeSmall(sinks, keys.pipeline(), `${JSON.stringify(p, null, 2)}\n`, open);
    await writeSmall(sinks, keys.plan(), `${JSON.stringify(plan, null, 2)}\n`, open);
    return plan;
  } catch (error) {
    await writer.abort();
    await Promise.allSettled(open.map((sink) => sink.abort()));
    throw error;
  }
}

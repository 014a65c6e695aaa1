/**
 * The Prepare core: CSV bytes in; JSONL shards, row sidecars, the rejected-rows file, the pipeline
 * snapshot and plan.json out, through a {@link SinkFactory}. Streaming end to end: memory is bounded by
 * one input chunk, one partial row and the shard writer's hold-back (see shards.ts), never by file size.
 * Nothing is written before the header and the template have been checked; on any failure every
 * object still open is aborted.
 */

import { createHash } from 'node:crypto';
import { checkRunSize } from '../collect/run-size';
import { NoRecordsError, TooManyRejectedRowsError } from '../contract/errors';
import type { PrepareKeys } from '../contract/layout';
import type { PipelineDefinition } from '../contract/types';
import type { ByteSource } from '../csv/reader';
import { checkCollectDisk } from '../dedupe/carry-bound';
import { type InputFile, openRowSource } from '../input/source';
import { estimateCost, estimateTokens } from '../pricing/estimate';
import type { RowSet } from '../rerun/row-set';
import { MAX_FILE_BYTES, MAX_RECORD_BYTES, REJECT_MAX_SHARE, REJECT_MIN_COUNT } from './limits';
import type { Plan } from './plan';
import { handleRow, type Run, setup } from './run';
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
  /**
   * Collect's ephemeral storage as deployed, in MiB: a dedupe run whose carried answers cannot fit beside
   * one shard's results is refused ({@link checkCollectDisk}).
   * @default - not checked (the CLI's local prepare, which creates no job)
   */
  readonly collectStorageMiB?: number;
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
      run.encoder.recycle(writer.oldest(), writer.released());
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
    checkRunSize(run.rows, run.records, run.promptBytes);
    const inputSha256 = hash.digest('hex');
    options.checkInput?.(inputSha256);
    const carried = run.dedupe?.carriedPeak();
    if (carried !== undefined && options.collectStorageMiB !== undefined) {
      checkCollectDisk(p, carried, options.collectStorageMiB);
    }
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
        : {
            dedupe: {
              duplicates: run.dedupe.duplicates,
              key: keys.duplicates(),
              carried: carried ?? 0,
            },
          }),
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

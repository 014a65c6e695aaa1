/**
 * How much of Collect's `/tmp` one shard's spill can take, from a pipeline's limits: the largest answer
 * the model may give (`maxTokens`, or a 1,024-float embedding) times the copies of it the spill holds
 * (see {@link encodeRendered}), times `maxRecordsPerJob`. The stack sizes Collect's ephemeral storage from
 * the largest pipeline, and refuses at synth a pipeline whose shard could not fit in Lambda's maximum.
 */

import type { PipelineDefinition } from '../contract/types';
import { isEmbeddingKind, outputKind } from '../models/output';

/** The figures the bound is planned with (documented in docs/platform.md, "Collect's disk"). */
export const SPILL_PLANNING = {
  /** UTF-8 bytes per output token, averaged over a shard (English is about 4 characters per token). */
  bytesPerOutputToken: 4,
  /** Growth of an answer's copies by CSV quoting and JSON escapes (quotes, newlines) in ordinary prose. */
  escapeFactor: 1.1,
  /** Floats in the largest embedding a supported model returns (Titan Text Embeddings V2). */
  embeddingDimensions: 1_024,
  /** Bytes of the longest JSON form of one float and its comma (`-0.00012345678901234567,`). */
  bytesPerFloat: 24,
  /** Status, tokens, stop reason, error cells and JSON member names of one record. */
  bytesPerRecordOverhead: 2_048,
} as const;

/** Lambda's ephemeral storage range, in MiB. */
export const EPHEMERAL_STORAGE_MIB = { min: 512, max: 10_240 } as const;

/** Room on top of the spill for the function's other files and for CSV and JSON escapes. */
const HEADROOM = 1.25;
const MIB = 1024 * 1024;

/**
 * The copies of an answer a spilled record holds: text mode the CSV cell, the JSON `output` and the raw
 * `model_output`; json mode also the `fields` object and the `output.<field>` CSV columns.
 */
function answerCopies(pipeline: PipelineDefinition): number {
  return pipeline.output.format === 'json' ? 5 : 3;
}

/** The most bytes one record of `pipeline` can take in the spill store. */
export function spillBytesPerRecord(pipeline: PipelineDefinition): number {
  const { bytesPerOutputToken, escapeFactor, embeddingDimensions, bytesPerFloat, bytesPerRecordOverhead } =
    SPILL_PLANNING;
  if (isEmbeddingKind(outputKind(pipeline.modelId, pipeline.invocationType))) {
    return embeddingDimensions * bytesPerFloat + bytesPerRecordOverhead;
  }
  const answer = pipeline.maxTokens * bytesPerOutputToken * escapeFactor;
  return Math.ceil(answerCopies(pipeline) * answer) + bytesPerRecordOverhead;
}

/** The most bytes one shard of `pipeline` can spill (`maxRecordsPerJob` records). */
export function spillBytesPerShard(pipeline: PipelineDefinition): number {
  return pipeline.maxRecordsPerJob * spillBytesPerRecord(pipeline);
}

/**
 * The ephemeral storage Collect needs for `pipeline`, in MiB: the shard's spill plus headroom, at least
 * Lambda's 512 MiB default. It may exceed {@link EPHEMERAL_STORAGE_MIB}.max; the caller refuses that.
 *
 * @example collectStorageMiB(titanPipeline) // 1566 for 50,000 records of 1,024 floats
 */
export function collectStorageMiB(pipeline: PipelineDefinition): number {
  const needed = Math.ceil((spillBytesPerShard(pipeline) * HEADROOM) / MIB);
  return Math.max(EPHEMERAL_STORAGE_MIB.min, needed);
}

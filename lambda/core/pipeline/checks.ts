/**
 * Checks of a pipeline against its model: the byte limit that keeps jobs above the batch minimum, the
 * context window, and what an embedding model or an unknown model accepts.
 */
import { UnsupportedModelError } from '../contract/errors';
import type { PipelineDefinition } from '../contract/types';
import { isEmbeddingFamily, modelFamily } from '../models/family';
import { contextWindow } from '../models/limits';
import { MAX_FILE_BYTES, MAX_RECORD_BYTES } from '../prepare/limits';
import { PIPELINE_DEFAULTS } from './defaults';
import { fail, int, type Raw, show } from './fields';

/**
 * `maxJobBytes`, checked so that no job is ever cut below the minimum for bytes. With
 * `min(maxJobBytes, MAX_FILE_BYTES) >= 2 × minRecordsPerJob × MAX_RECORD_BYTES`, a shard closed for bytes
 * already holds more than `2 × min - 1` records of at most {@link MAX_RECORD_BYTES} each, and at the end
 * an open shard below the minimum plus the `min` held-back records always fit in one job (see
 * prepare/shards.ts): the same reasoning as `maxRecordsPerJob >= 2 × minRecordsPerJob`.
 */
export function jobBytes(raw: Raw, name: string, minRecords: number): number {
  const value = int(raw, 'maxJobBytes', name, 1 << 20, 100_000_000_000, PIPELINE_DEFAULTS.maxJobBytes);
  const needed = 2 * minRecords * MAX_RECORD_BYTES;
  if (needed > MAX_FILE_BYTES) {
    fail(
      name,
      `minRecordsPerJob ${minRecords} cannot be met for records of up to ${MAX_RECORD_BYTES} bytes within Bedrock's ${MAX_FILE_BYTES}-byte input file; use at most ${Math.floor(MAX_FILE_BYTES / (2 * MAX_RECORD_BYTES))}`,
    );
  }
  if (value < needed) {
    fail(
      name,
      `maxJobBytes must be at least 2 × minRecordsPerJob × ${MAX_RECORD_BYTES} (the largest record) = ${needed}, so no job is cut below the minimum for bytes; got maxJobBytes ${value} with minRecordsPerJob ${minRecords}`,
    );
  }
  return value;
}

/** `maxTokens` alone must leave room for a prompt in the model's context window. */
export function checkWindow(p: PipelineDefinition): void {
  const window = contextWindow(p.modelId);
  if (window === undefined || isEmbeddingFamily(modelFamily(p.modelId))) return;
  if (p.maxTokens >= window) {
    fail(
      p.name,
      `maxTokens ${p.maxTokens} leaves no room for a prompt in the ${window}-token context window of ${p.modelId}`,
    );
  }
}

export function checkModel(p: PipelineDefinition): void {
  const family = modelFamily(p.modelId);
  if (p.invocationType === 'InvokeModel' && family === undefined) {
    throw new UnsupportedModelError(
      `Pipeline "${p.name}": no InvokeModel request body is known for model ${show(p.modelId)}; ` +
        'add "invocationType": "Converse" to the pipeline to use the Converse format, which fits any text model.',
    );
  }
  if (isEmbeddingFamily(family)) {
    if (p.invocationType === 'Converse')
      fail(p.name, `${p.modelId} is an embedding model; Converse is for text models`);
    if (p.output.format === 'json')
      fail(p.name, `${p.modelId} is an embedding model; output.format must be "text"`);
    if (p.system !== undefined) fail(p.name, `${p.modelId} is an embedding model; it takes no system prompt`);
  }
}

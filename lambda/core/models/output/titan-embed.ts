/** Amazon Titan Text Embeddings V2 response body. */
import { asCount, asObject } from './fields';
import type { OutputParser } from './types';

/** Reads `embedding` (else `embeddingsByType.float`) and `inputTextTokenCount`; output tokens are 0. */
export const parseTitanEmbedOutput: OutputParser = (body) => {
  const vector = body.embedding ?? asObject(body.embeddingsByType)?.float;
  if (!Array.isArray(vector) || vector.length === 0 || !vector.every((x) => typeof x === 'number')) {
    return { ok: false, reason: 'embedding output has no vector of numbers' };
  }
  return {
    ok: true,
    embedding: vector as number[],
    inputTokens: asCount(body.inputTextTokenCount),
    outputTokens: 0,
  };
};

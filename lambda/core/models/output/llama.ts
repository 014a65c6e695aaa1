/** Meta Llama response body. */
import { asCount, asString } from './fields';
import type { OutputParser } from './types';

/** Reads `generation`, `stop_reason`, `prompt_token_count` and `generation_token_count`. */
export const parseLlamaOutput: OutputParser = (body) => {
  const text = asString(body.generation);
  if (text === undefined) return { ok: false, reason: 'Llama output has no generation' };
  return {
    ok: true,
    text,
    stopReason: asString(body.stop_reason),
    inputTokens: asCount(body.prompt_token_count),
    outputTokens: asCount(body.generation_token_count),
  };
};

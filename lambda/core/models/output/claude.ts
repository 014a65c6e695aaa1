/** Anthropic Claude Messages API response body. */
import { asCount, asObject, asString, joinTextBlocks } from './fields';
import type { OutputParser } from './types';

/** Reads `content[].text` (joined), `stop_reason` and `usage.input_tokens` / `usage.output_tokens`. */
export const parseClaudeOutput: OutputParser = (body) => {
  const text = joinTextBlocks(body.content);
  if (text === undefined) return { ok: false, reason: 'Claude output has no content list' };
  const usage = asObject(body.usage);
  return {
    ok: true,
    text,
    stopReason: asString(body.stop_reason),
    inputTokens: asCount(usage?.input_tokens),
    outputTokens: asCount(usage?.output_tokens),
  };
};

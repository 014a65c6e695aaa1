/** The Converse response body, which Amazon Nova also returns for InvokeModel. */
import { asCount, asObject, asString, joinTextBlocks } from './fields';
import type { OutputParser } from './types';

/** Reads `output.message.content[].text` (joined), `stopReason` and `usage.inputTokens` / `usage.outputTokens`. */
export const parseConverseOutput: OutputParser = (body) => {
  const message = asObject(asObject(body.output)?.message);
  const text = joinTextBlocks(message?.content);
  if (text === undefined) return { ok: false, reason: 'output has no output.message.content list' };
  const usage = asObject(body.usage);
  return {
    ok: true,
    text,
    stopReason: asString(body.stopReason),
    inputTokens: asCount(usage?.inputTokens),
    outputTokens: asCount(usage?.outputTokens),
  };
};

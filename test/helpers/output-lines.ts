/**
 * Synthetic Bedrock batch output lines (`.jsonl.out`) at a pipeline's ceiling, for sizing Collect's spill:
 * a Titan embedding of the longest floats, a Claude answer of a given length.
 */

/** The longest JSON form of a float Titan returns in [-1, 1] (17 significant digits). */
export const LONGEST_FLOAT = -0.00012345678901234567;

/** A Titan Text Embeddings V2 output line with `dimensions` floats, in `embedding` and `embeddingsByType`. */
export function titanLine(recordId: string, dimensions = 1024): string {
  const vector = Array.from({ length: dimensions }, (_, i) => (i % 2 === 0 ? LONGEST_FLOAT : -LONGEST_FLOAT));
  return JSON.stringify({
    recordId,
    modelInput: { inputText: 'x' },
    modelOutput: {
      embedding: vector,
      embeddingsByType: { float: vector },
      inputTextTokenCount: 12,
    },
  });
}

/** A Claude Messages output line whose text is `text`, stopped at the token limit. */
export function claudeLine(recordId: string, text: string, outputTokens: number): string {
  return JSON.stringify({
    recordId,
    modelInput: { messages: [] },
    modelOutput: {
      id: 'msg_bdrk_0',
      type: 'message',
      role: 'assistant',
      model: 'claude-3-haiku-20240307',
      content: [{ type: 'text', text }],
      stop_reason: 'max_tokens',
      stop_sequence: null,
      usage: { input_tokens: 250, output_tokens: outputTokens },
    },
  });
}

/** Prose of exactly `bytes` ASCII bytes, with the punctuation answers have (quotes, commas, newlines). */
export function prose(bytes: number): string {
  const sentence = 'The therapist said "I hear you", then asked a question, kindly.\n';
  return sentence.repeat(Math.ceil(bytes / sentence.length)).slice(0, bytes);
}

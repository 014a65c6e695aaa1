/** Amazon Titan Text Embeddings V2 body: the rendered prompt is the text to embed. */
import type { PipelineDefinition } from '../../contract/types';

/** `{inputText}`. */
export function titanEmbedInput(_p: PipelineDefinition, prompt: string): Record<string, unknown> {
  return { inputText: prompt };
}

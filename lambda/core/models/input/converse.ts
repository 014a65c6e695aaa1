/** The Converse body (invocationType Converse), for any text model. `modelId` is never put inside it. */
import type { PipelineDefinition } from '../../contract/types';
import { systemText } from './instructions';

/** `{messages, system?: [{text}], inferenceConfig: {maxTokens, temperature}}`. */
export function converseInput(p: PipelineDefinition, prompt: string): Record<string, unknown> {
  const system = systemText(p);
  return {
    messages: [{ role: 'user', content: [{ text: prompt }] }],
    ...(system !== undefined ? { system: [{ text: system }] } : {}),
    inferenceConfig: { maxTokens: p.maxTokens, temperature: p.temperature },
  };
}

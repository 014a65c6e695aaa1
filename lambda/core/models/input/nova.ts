/** Amazon Nova body (InvokeModel): messages, a system list, inferenceConfig. */
import type { PipelineDefinition } from '../../contract/types';
import { systemText } from './instructions';

/** `{system?: [{text}], messages, inferenceConfig: {maxTokens, temperature}}`. */
export function novaInput(p: PipelineDefinition, prompt: string): Record<string, unknown> {
  const system = systemText(p);
  return {
    ...(system !== undefined ? { system: [{ text: system }] } : {}),
    messages: [{ role: 'user', content: [{ text: prompt }] }],
    inferenceConfig: { maxTokens: p.maxTokens, temperature: p.temperature },
  };
}

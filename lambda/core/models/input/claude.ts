/** Anthropic Claude Messages API body (InvokeModel). */
import type { PipelineDefinition } from '../../contract/types';
import { systemText } from './instructions';

/** `{anthropic_version, max_tokens, system?, temperature, messages}` for one user turn. */
export function claudeInput(p: PipelineDefinition, prompt: string): Record<string, unknown> {
  const system = systemText(p);
  return {
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: p.maxTokens,
    ...(system !== undefined ? { system } : {}),
    temperature: p.temperature,
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
  };
}

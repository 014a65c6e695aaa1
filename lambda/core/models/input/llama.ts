/** Meta Llama body (InvokeModel): the chat template applied into `prompt`, plus `max_gen_len`. */
import type { PipelineDefinition } from '../../contract/types';
import { baseModelId } from '../family';
import { systemText } from './instructions';

/**
 * The prompt string with Llama's chat template: Llama 3.x header tokens, or Llama 4's.
 *
 * @example llamaPrompt('meta.llama3-1-8b-instruct-v1:0', undefined, 'Hi')
 */
export function llamaPrompt(modelId: string, system: string | undefined, prompt: string): string {
  const v4 = baseModelId(modelId).startsWith('meta.llama4');
  const [open, close, eot] = v4
    ? ['<|header_start|>', '<|header_end|>', '<|eot|>']
    : ['<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>'];
  const turn = (role: string, text: string) => `${open}${role}${close}\n\n${text}${eot}`;
  return `<|begin_of_text|>${system !== undefined ? turn('system', system) : ''}${turn('user', prompt)}${open}assistant${close}\n\n`;
}

/** `{prompt, max_gen_len, temperature}`. */
export function llamaInput(p: PipelineDefinition, prompt: string): Record<string, unknown> {
  return {
    prompt: llamaPrompt(p.modelId, systemText(p), prompt),
    max_gen_len: p.maxTokens,
    temperature: p.temperature,
  };
}

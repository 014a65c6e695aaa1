/**
 * Cell text stays data: for a family whose body is one raw prompt string (Meta Llama today), a cell must
 * not be able to write that family's control tokens and so open a turn of its own. Families whose body
 * keeps the row's text in a message field of its own (Claude, Nova, Converse, Titan) need no rule. The
 * rules are documented in docs/pipelines.md; only cell values are changed, never the template's text.
 */
import type { PipelineDefinition } from '../../contract/types';
import { modelFamily } from '../family';

/** One family's rule: every `opener` in a cell value becomes `replacement`. */
export interface ControlTokenRule {
  /** The text every control token of the family starts with. */
  readonly opener: string;
  /** What it becomes in a cell value (never a control token, visibly close to the original). */
  readonly replacement: string;
}

/**
 * Meta Llama 3 and 4: every special token has the form `<|name|>` (`<|eot_id|>`, `<|start_header_id|>`,
 * `<|header_start|>`, `<|eot|>`, `<|begin_of_text|>`, ...), so `<|` in a cell becomes `< |`.
 */
export const LLAMA_RULE: ControlTokenRule = { opener: '<|', replacement: '< |' };

/**
 * The control-token rule of the pipeline's body, or `undefined` when the row's text travels in a field of
 * its own.
 *
 * @example controlTokenRule(llamaPipeline) // LLAMA_RULE
 */
export function controlTokenRule(p: PipelineDefinition): ControlTokenRule | undefined {
  if (p.invocationType === 'Converse') return undefined;
  return modelFamily(p.modelId) === 'meta-llama' ? LLAMA_RULE : undefined;
}

/**
 * A cell value with the rule applied (the reference the byte-level encoder matches).
 *
 * @example neutraliseCell(LLAMA_RULE, 'a<|eot_id|>b') // 'a< |eot_id|>b'
 */
export function neutraliseCell(rule: ControlTokenRule | undefined, cell: string): string {
  return rule === undefined ? cell : cell.replaceAll(rule.opener, rule.replacement);
}

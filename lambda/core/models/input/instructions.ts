/** The system text a record is sent with: the pipeline's `system`, plus the json-mode instruction. */
import type { PipelineDefinition } from '../../contract/types';

/** Appended to the system prompt in json mode (docs/pipelines.md). */
export const JSON_INSTRUCTION =
  'Answer with a single JSON object and nothing else: no prose, no code fences.';

/**
 * The effective system prompt, or `undefined` when there is none.
 *
 * @example systemText({ ...p, system: 'Be terse.', output: { format: 'json' } })
 */
export function systemText(p: PipelineDefinition): string | undefined {
  const parts: string[] = [];
  if (p.system !== undefined) parts.push(p.system);
  if (p.output.format === 'json') {
    parts.push(
      p.output.schema === undefined
        ? JSON_INSTRUCTION
        : `${JSON_INSTRUCTION} The object must match this JSON Schema:\n${JSON.stringify(p.output.schema)}`,
    );
  }
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

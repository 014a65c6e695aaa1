/**
 * `modelInput` for a pipeline: the adapter is chosen from the invocation type and the model family.
 * {@link lineRenderer} builds the whole JSONL line from a template made once per run, so each record
 * costs one string escape rather than a full object serialisation.
 */
import { UnsupportedModelError } from '../../contract/errors';
import type { PipelineDefinition } from '../../contract/types';
import { modelFamily } from '../family';
import { claudeInput } from './claude';
import { converseInput } from './converse';
import { llamaInput } from './llama';
import { novaInput } from './nova';
import { titanEmbedInput } from './titan-embed';

/** Builds a `modelInput` body from a rendered prompt. */
export type InputBuilder = (p: PipelineDefinition, prompt: string) => Record<string, unknown>;

/**
 * The body builder for a pipeline. Throws `UnsupportedModelError` for an unknown family with InvokeModel.
 *
 * @example inputBuilder(pipeline)(pipeline, 'Hello')
 */
export function inputBuilder(p: PipelineDefinition): InputBuilder {
  if (p.invocationType === 'Converse') return converseInput;
  switch (modelFamily(p.modelId)) {
    case 'anthropic-claude':
      return claudeInput;
    case 'amazon-nova':
      return novaInput;
    case 'meta-llama':
      return llamaInput;
    case 'amazon-titan-embed-text':
      return titanEmbedInput;
    default:
      throw new UnsupportedModelError(
        `No InvokeModel request body is known for model ${JSON.stringify(p.modelId)}; set "invocationType": "Converse".`,
      );
  }
}

/** The `modelInput` for one prompt. */
export function modelInput(p: PipelineDefinition, prompt: string): Record<string, unknown> {
  return inputBuilder(p)(p, prompt);
}

/** The serialised `modelInput` around the prompt: `before + escaped prompt + after` is the body's JSON. */
export interface BodyTemplate {
  readonly before: string;
  readonly after: string;
}

/**
 * Serialises the body once with a marker in place of the prompt and splits around it, so a record costs
 * one string escape rather than a full object serialisation.
 *
 * @example const { before, after } = bodyTemplate(p); // JSON = before + JSON.stringify(prompt).slice(1, -1) + after
 */
export function bodyTemplate(p: PipelineDefinition): BodyTemplate {
  const build = inputBuilder(p);
  for (let n = 0; n < 100; n++) {
    const marker = `\u0001MARK${n}\u0001`;
    const json = JSON.stringify(build(p, marker));
    const escaped = JSON.stringify(marker).slice(1, -1);
    const first = json.indexOf(escaped);
    if (first >= 0 && json.indexOf(escaped, first + 1) < 0) {
      return { before: json.slice(0, first), after: json.slice(first + escaped.length) };
    }
  }
  throw new Error('could not place the prompt marker in the model body');
}

/**
 * The JSONL line (no newline) for a record: equal to `JSON.stringify({recordId, modelInput})`.
 *
 * @example jsonLine(p, 'r000000001', 'Hello')
 */
export function jsonLine(p: PipelineDefinition, recordId: string, prompt: string): string {
  return JSON.stringify({ recordId, modelInput: modelInput(p, prompt) });
}

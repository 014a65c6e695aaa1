/** Reading `modelOutput` per model family: the answer text or vector, the stop reason, the token usage. */
import { UnsupportedModelError } from '../../contract/errors';
import type { InvocationType } from '../../contract/types';
import { modelFamily } from '../family';
import { parseClaudeOutput } from './claude';
import { parseConverseOutput } from './converse';
import { asObject } from './fields';
import { parseLlamaOutput } from './llama';
import { parseTitanEmbedOutput } from './titan-embed';
import type { OutputKind, OutputParser, OutputReading } from './types';

export type { OutputKind, OutputReading, ParsedOutput, UnreadableOutput } from './types';

const PARSERS: Record<OutputKind, OutputParser> = {
  'anthropic-claude': parseClaudeOutput,
  'amazon-nova': parseConverseOutput,
  'meta-llama': parseLlamaOutput,
  'amazon-titan-embed-text': parseTitanEmbedOutput,
  converse: parseConverseOutput,
};

/**
 * The response body a pipeline's records come back in: the Converse body for Converse jobs, else the
 * model family's native body.
 *
 * @throws UnsupportedModelError for an InvokeModel job on a family without an adapter.
 */
export function outputKind(modelId: string, invocationType: InvocationType): OutputKind {
  if (invocationType === 'Converse') return 'converse';
  const family = modelFamily(modelId);
  if (family === undefined) {
    throw new UnsupportedModelError(
      `No InvokeModel output reader for model ${modelId}: use invocationType Converse`,
    );
  }
  return family;
}

/** True when the kind's answer is a vector, not text. */
export function isEmbeddingKind(kind: OutputKind): boolean {
  return kind === 'amazon-titan-embed-text';
}

/**
 * Reads one record's `modelOutput`. Never throws: a body of the wrong shape is `{ ok: false, reason }`.
 *
 * @example parseModelOutput('meta-llama', { generation: 'Hi', stop_reason: 'stop' }).ok // true
 */
export function parseModelOutput(kind: OutputKind, modelOutput: unknown): OutputReading {
  const body = asObject(modelOutput);
  if (body === undefined) return { ok: false, reason: 'modelOutput is not a JSON object' };
  return PARSERS[kind](body);
}

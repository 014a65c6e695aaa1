/**
 * The emulated model: one request body in, the family's real response body out (or a per-record
 * error), with plausible token usage (about four characters per token).
 */
import { guessShape } from '../models/catalog';
import { baseModelId } from '../models/id';
import { BATCH_MODELS, type ModelShape } from '../models/table';
import { hash32, hashString, prng } from '../random';
import { answer } from './answer';
import { checkBody, type Shape } from './check';
import {
  claudePrompt,
  estimateTokens,
  messagesPrompt,
  type Prompt,
  promptStringPrompt,
  tokens,
} from './prompt';

/** A model answer, or a per-record error like Bedrock's. */
export type Invocation =
  | {
      readonly ok: true;
      readonly output: unknown;
      readonly inputTokens: number;
      readonly outputTokens: number;
    }
  | { readonly ok: false; readonly errorCode: number; readonly errorMessage: string };

type Body = Record<string, unknown>;

/** What the model table says about a model: its body shape and context window. */
interface ModelTraits {
  readonly shape: ModelShape;
  readonly contextTokens: number;
}

/**
 * The body shape a job's records use, from the invocation type, then the model's table entry (`known`,
 * or the built-in table), then the id's provider prefix.
 */
export function shapeFor(modelId: string, invocationType: string | undefined, known?: ModelShape): Shape {
  if (invocationType === 'Converse') return 'converse';
  const base = baseModelId(modelId);
  return known ?? BATCH_MODELS[base]?.shape ?? guessShape(base);
}

/** Bedrock's answer to a request that does not fit the context window (the runtime's wording). */
const TOO_LONG = 'Input is too long for requested model.';

/** The per-record error of a body whose prompt plus requested output exceeds the context window. */
function contextProblem(shape: Shape, body: Body, contextTokens: number): string | undefined {
  if (!Number.isFinite(contextTokens)) return undefined;
  if (shape === 'titan') {
    const input = estimateTokens(body.inputText as string);
    return input > contextTokens
      ? `${TOO_LONG} About ${input} input tokens exceed the context window of ${contextTokens} tokens.`
      : undefined;
  }
  const prompt = promptOf(shape, body);
  const input = estimateTokens(`${prompt.system}${prompt.user}${prompt.prefill}`);
  return input + prompt.maxTokens > contextTokens
    ? `${TOO_LONG} About ${input} prompt tokens plus ${prompt.maxTokens} requested output tokens exceed the context window of ${contextTokens} tokens.`
    : undefined;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `anthropic.claude-3-haiku-20240307-v1:0` → `claude-3-haiku-20240307`. */
function claudeModelName(modelId: string): string {
  return baseModelId(modelId)
    .replace(/^anthropic\./, '')
    .replace(/-v\d+(:\d+)?$/, '');
}

function promptOf(shape: Shape, body: Body): Prompt {
  if (shape === 'claude') return claudePrompt(body);
  if (shape === 'nova' || shape === 'converse') return messagesPrompt(body);
  return promptStringPrompt(body);
}

function embedding(body: Body, seed: number): Invocation {
  const text = body.inputText as string;
  const dimensions = (body.dimensions as number | undefined) ?? 1024;
  const next = prng(seed);
  const raw = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const norm = body.normalize === false ? 1 : Math.hypot(...raw);
  const vector = raw.map((value) => Number((value / norm).toPrecision(7)));
  const types = Array.isArray(body.embeddingTypes) ? (body.embeddingTypes as string[]) : ['float'];
  const byType: Body = {};
  if (types.includes('float')) byType.float = vector;
  if (types.includes('binary')) byType.binary = vector.map((value) => (value > 0 ? 1 : 0));
  const inputTokens = tokens(text);
  return {
    ok: true,
    output: { embedding: vector, inputTextTokenCount: inputTokens, embeddingsByType: byType },
    inputTokens,
    outputTokens: 0,
  };
}

/**
 * Answers one record's `modelInput` for a model. With `traits` (the model's table entry), the body shape
 * is the entry's and a prompt that does not fit the context window is a 400 error.
 *
 * @example invokeModel('anthropic.claude-3-haiku-20240307-v1:0', undefined, body)
 */
export function invokeModel(
  modelId: string,
  invocationType: string | undefined,
  modelInput: unknown,
  traits?: ModelTraits,
): Invocation {
  const shape = shapeFor(modelId, invocationType, traits?.shape);
  const problem = checkBody(modelInput, shape);
  if (problem !== undefined) return { ok: false, errorCode: 400, errorMessage: problem };
  const body = modelInput as Body;
  const tooLong = traits === undefined ? undefined : contextProblem(shape, body, traits.contextTokens);
  if (tooLong !== undefined) return { ok: false, errorCode: 400, errorMessage: tooLong };
  const seed = hash32(modelId, JSON.stringify(body));
  if (shape === 'titan') return embedding(body, seed);
  const prompt = promptOf(shape, body);
  const { text, truncated } = answer(prompt, seed);
  const inputTokens = tokens(`${prompt.system}${prompt.user}${prompt.prefill}`) + 7;
  const outputTokens = tokens(text);
  const usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  const output = (() => {
    switch (shape) {
      case 'claude':
        return {
          id: `msg_bdrk_01${hashString(22, BASE62, seed)}`,
          type: 'message',
          role: 'assistant',
          model: claudeModelName(modelId),
          content: [{ type: 'text', text }],
          stop_reason: truncated ? 'max_tokens' : 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: inputTokens, output_tokens: outputTokens },
        };
      case 'nova':
      case 'converse':
        return {
          output: { message: { role: 'assistant', content: [{ text }] } },
          stopReason: truncated ? 'max_tokens' : 'end_turn',
          usage,
          ...(shape === 'converse' ? { metrics: { latencyMs: 200 + (seed % 1300) } } : {}),
        };
      case 'llama':
        return {
          generation: text,
          prompt_token_count: inputTokens,
          generation_token_count: outputTokens,
          stop_reason: truncated ? 'length' : 'stop',
        };
      default:
        return { outputs: [{ text, stop_reason: truncated ? 'length' : 'stop' }] };
    }
  })();
  return { ok: true, output, inputTokens, outputTokens };
}

/**
 * A dated price table for cost estimates (USD per 1M tokens, on-demand). Batch inference is billed at
 * 50% of on-demand. Figures compiled from public pricing listings as of {@link PRICES_AS_OF}; they vary
 * by Region and change over time, so check the AWS pricing page before relying on them. A model not in
 * the table has no price: callers report cost `null`, never a guess.
 */
import { baseModelId } from '../models/family';

/** When the table below was last checked. */
export const PRICES_AS_OF = '2026-11-25';

/** The share of the on-demand price that batch inference costs. */
export const BATCH_DISCOUNT = 0.5;

/** Prices for one model, USD per 1M tokens. */
export interface ModelPrice {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly batchInputPerMTok: number;
  readonly batchOutputPerMTok: number;
  readonly asOf: string;
}

/** On-demand [input, output] USD per 1M tokens, keyed by base model id prefix (longest match wins). */
const ON_DEMAND: Readonly<Record<string, readonly [number, number]>> = {
  'anthropic.claude-3-haiku': [0.25, 1.25],
  'anthropic.claude-3-5-haiku': [0.8, 4],
  'anthropic.claude-haiku-4-5': [1, 5],
  'anthropic.claude-3-5-sonnet': [3, 15],
  'anthropic.claude-3-7-sonnet': [3, 15],
  'anthropic.claude-sonnet-4': [3, 15],
  'anthropic.claude-opus-4': [15, 75],
  'amazon.nova-micro': [0.035, 0.14],
  'amazon.nova-lite': [0.06, 0.24],
  'amazon.nova-pro': [0.8, 3.2],
  'amazon.titan-embed-text-v2': [0.02, 0],
  'meta.llama3-1-8b-instruct': [0.22, 0.22],
  'meta.llama3-1-70b-instruct': [0.72, 0.72],
  'meta.llama3-3-70b-instruct': [0.72, 0.72],
};

const KEYS = Object.keys(ON_DEMAND).sort((a, b) => b.length - a.length);

/**
 * The price of a model id (foundation-model id, inference-profile id or ARN), or `undefined`.
 *
 * @example priceFor('us.anthropic.claude-3-haiku-20240307-v1:0')?.batchInputPerMTok // 0.125
 */
export function priceFor(modelId: string): ModelPrice | undefined {
  const id = baseModelId(modelId);
  const key = KEYS.find((k) => id.startsWith(k));
  if (key === undefined) return undefined;
  const [input, output] = ON_DEMAND[key]!;
  return {
    inputPerMTok: input,
    outputPerMTok: output,
    batchInputPerMTok: input * BATCH_DISCOUNT,
    batchOutputPerMTok: output * BATCH_DISCOUNT,
    asOf: PRICES_AS_OF,
  };
}

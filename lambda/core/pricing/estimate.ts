/**
 * Token and cost estimates for a run, before anything is sent. Input tokens are approximated as
 * ceil(UTF-8 bytes / 4) of the text the run sends (system prompt + rendered prompt of every record).
 * For English prose bytes equal characters and four per token is the usual rule of thumb; real
 * tokenizers differ by model and language (non-Latin scripts use more bytes per token).
 */
import { priceFor } from './prices';

/** What Prepare writes into plan.json and prints. */
export interface Estimate {
  readonly method: 'utf8-bytes/4';
  readonly inputTokens: number;
  /** Upper bound: every record answered with `maxTokens` tokens. */
  readonly maxOutputTokens: number;
  /** Input-token cost; `null` when the model is not in the price table. */
  readonly inputCostUsd: { readonly batch: number | null; readonly onDemand: number | null };
  /** Cost if every answer used `maxTokens`; `null` when the model is not in the price table. */
  readonly maxCostUsd: { readonly batch: number | null; readonly onDemand: number | null };
  readonly pricesAsOf: string | null;
}

/** Estimated tokens of `bytes` UTF-8 bytes of text: ceil(bytes / 4). */
export function estimateTokens(bytes: number): number {
  return Math.ceil(bytes / 4);
}

function usd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * The run's estimate from summed input tokens.
 *
 * @example estimateCost('amazon.nova-lite-v1:0', 1_000_000, 300, 1024).inputCostUsd.batch // 0.03
 */
export function estimateCost(
  modelId: string,
  inputTokens: number,
  records: number,
  maxTokens: number,
): Estimate {
  const price = priceFor(modelId);
  const maxOutputTokens = records * maxTokens;
  const m = 1_000_000;
  return {
    method: 'utf8-bytes/4',
    inputTokens,
    maxOutputTokens,
    inputCostUsd: {
      batch: price ? usd((inputTokens / m) * price.batchInputPerMTok) : null,
      onDemand: price ? usd((inputTokens / m) * price.inputPerMTok) : null,
    },
    maxCostUsd: {
      batch: price
        ? usd((inputTokens / m) * price.batchInputPerMTok + (maxOutputTokens / m) * price.batchOutputPerMTok)
        : null,
      onDemand: price
        ? usd((inputTokens / m) * price.inputPerMTok + (maxOutputTokens / m) * price.outputPerMTok)
        : null,
    },
    pricesAsOf: price ? price.asOf : null,
  };
}

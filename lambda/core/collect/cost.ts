/** What a run's tokens cost at the batch price, and what they would have cost on demand. */
import { priceFor } from '../prices';

/** USD (12 significant digits); `null` when the model has no price in the table. */
export interface RunCost {
  readonly batchUsd: number | null;
  readonly onDemandUsd: number | null;
  readonly pricesAsOf: string | null;
}

/**
 * The cost of `tokens` for `modelId`.
 *
 * @example costOf('anthropic.claude-3-haiku-20240307-v1:0', { input: 1_000_000, output: 0 }).batchUsd // 0.125
 */
export function costOf(modelId: string, tokens: { input: number; output: number }): RunCost {
  const price = priceFor(modelId);
  if (price === undefined) return { batchUsd: null, onDemandUsd: null, pricesAsOf: null };
  const usd = (perInput: number, perOutput: number) =>
    tidy((tokens.input * perInput + tokens.output * perOutput) / 1_000_000);
  return {
    batchUsd: usd(price.batchInputPerMTok, price.batchOutputPerMTok),
    onDemandUsd: usd(price.inputPerMTok, price.outputPerMTok),
    pricesAsOf: price.asOf,
  };
}

function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

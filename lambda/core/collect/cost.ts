/**
 * What a run's tokens cost: a batch run at the batch price (and what it would have cost on demand); an
 * on-demand run at the on-demand price only (no batch job ran, so `batchUsd` is `null`).
 */
import { priceFor } from '../pricing/prices';

/** USD (12 significant digits); `null` when the model has no price in the table, or for no batch job. */
export interface RunCost {
  readonly batchUsd: number | null;
  readonly onDemandUsd: number | null;
  readonly pricesAsOf: string | null;
}

/**
 * The cost of `tokens` for `modelId`, for a run in `mode`.
 *
 * @example costOf('anthropic.claude-3-haiku-20240307-v1:0', { input: 1_000_000, output: 0 }).batchUsd // 0.125
 * @example costOf('anthropic.claude-3-haiku-20240307-v1:0', { input: 1_000_000, output: 0 }, 'on-demand') // { batchUsd: null, onDemandUsd: 0.25, ... }
 */
export function costOf(
  modelId: string,
  tokens: { input: number; output: number },
  mode: 'batch' | 'on-demand' = 'batch',
): RunCost {
  const price = priceFor(modelId);
  if (price === undefined) return { batchUsd: null, onDemandUsd: null, pricesAsOf: null };
  const usd = (perInput: number, perOutput: number) =>
    tidy((tokens.input * perInput + tokens.output * perOutput) / 1_000_000);
  return {
    batchUsd: mode === 'batch' ? usd(price.batchInputPerMTok, price.batchOutputPerMTok) : null,
    onDemandUsd: usd(price.inputPerMTok, price.outputPerMTok),
    pricesAsOf: price.asOf,
  };
}

function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

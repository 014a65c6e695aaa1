import { describe, expect, it } from 'vitest';
import { estimateCost, estimateTokens } from '../../../lambda/core/pricing/estimate';
import { priceFor } from '../../../lambda/core/pricing/prices';

describe('prices and estimates', () => {
  it('prices inference-profile ids and ARNs as their base model, batch at 50%', () => {
    const price = priceFor('us.anthropic.claude-3-haiku-20240307-v1:0');
    expect(price).toMatchObject({ inputPerMTok: 0.25, batchInputPerMTok: 0.125, batchOutputPerMTok: 0.625 });
    expect(priceFor('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0')?.inputPerMTok).toBe(
      0.06,
    );
    expect(priceFor('anthropic.claude-3-5-haiku-20241022-v1:0')?.inputPerMTok).toBe(0.8);
  });

  it('gives cost null for a model not in the table, never a guess', () => {
    expect(priceFor('mistral.mistral-large-2407-v1:0')).toBeUndefined();
    const e = estimateCost('mistral.mistral-large-2407-v1:0', 1000, 10, 100);
    expect(e.inputCostUsd).toEqual({ batch: null, onDemand: null });
    expect(e.maxCostUsd).toEqual({ batch: null, onDemand: null });
    expect(e.pricesAsOf).toBeNull();
  });

  it('computes input and upper-bound costs', () => {
    const e = estimateCost('amazon.nova-lite-v1:0', 2_000_000, 1000, 1000);
    expect(e.inputCostUsd).toEqual({ batch: 0.06, onDemand: 0.12 });
    expect(e.maxCostUsd).toEqual({ batch: 0.06 + 0.12, onDemand: 0.12 + 0.24 });
    expect(estimateTokens(9)).toBe(3);
  });
});

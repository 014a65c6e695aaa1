import { describe, expect, it } from 'vitest';
import { costOf } from '../../../lambda/core/collect/cost';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const tokens = { input: 20_000, output: 12_000 };

describe('costOf', () => {
  it('prices a batch run at the batch rate and shows the on-demand figure beside it', () => {
    const cost = costOf(HAIKU, tokens);
    expect(cost.batchUsd).toBeCloseTo(0.01, 12);
    expect(cost.onDemandUsd).toBeCloseTo(0.02, 12);
  });

  it('prices an on-demand run at the on-demand rate only (no batch job ran)', () => {
    const cost = costOf(HAIKU, tokens, 'on-demand');
    expect(cost.batchUsd).toBeNull();
    expect(cost.onDemandUsd).toBeCloseTo(0.02, 12);
  });

  it('has no figures for an unpriced model', () => {
    expect(costOf('acme.unknown-v1', tokens, 'on-demand')).toEqual({
      batchUsd: null,
      onDemandUsd: null,
      pricesAsOf: null,
    });
  });
});

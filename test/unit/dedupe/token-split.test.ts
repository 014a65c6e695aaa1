import { describe, expect, it } from 'vitest';
import { decodeRendered, encodeRendered, OutcomeRenderer } from '../../../lambda/core/collect/rendered';
import { tokenShare, withTokens } from '../../../lambda/core/dedupe/token-split';

describe('tokenShare', () => {
  it('splits evenly and gives the remainder to the earliest rows', () => {
    expect([0, 1, 2].map((i) => tokenShare(10, 3, i))).toEqual([4, 3, 3]);
    expect([0, 1, 2, 3].map((i) => tokenShare(2, 4, i))).toEqual([1, 1, 0, 0]);
    expect(tokenShare(7, 1, 0)).toBe(7);
  });

  it('always adds up to the total', () => {
    for (const [total, rows] of [
      [0, 3],
      [1, 5],
      [999, 7],
      [12345, 100],
    ] as const) {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += tokenShare(total, rows, i);
      expect(sum).toBe(total);
    }
  });
});

describe('withTokens', () => {
  const renderer = new OutcomeRenderer(['label']);
  // A schema field named like a token member: the offsets, not a search, find the token cells.
  const fields = { label: 'a, "b"', input_tokens: 1 };
  const outcome = {
    status: 'ok' as const,
    output: JSON.stringify(fields),
    fields,
    inputTokens: 1234,
    outputTokens: 56,
    stopReason: 'end_turn',
  };

  it('replaces the token cells in both files, from text or from spilled bytes', () => {
    const text = renderer.render(outcome, '"model_output":{"usage":{"input_tokens":1234}}');
    for (const rendered of [text, decodeRendered(Buffer.from(encodeRendered(text), 'utf8'))]) {
      const shared = withTokens(rendered, 412, 19);
      expect(shared.csv.toString()).toBe(text.csv.replace(',1234,56,', ',412,19,'));
      const json = JSON.parse(`{${shared.json.toString()}}`) as Record<string, unknown>;
      expect(json).toMatchObject({ input_tokens: 412, output_tokens: 19, fields: outcome.fields });
      expect(json.model_output).toEqual({ usage: { input_tokens: 1234 } });
      // report.html's per-row token figures read these: the share, not the record's tokens.
      expect([shared.inputTokens, shared.outputTokens]).toEqual([412, 19]);
      expect(decodeRendered(Buffer.from(encodeRendered(text), 'utf8'))).toMatchObject({
        inputTokens: 1234,
        outputTokens: 56,
      });
    }
  });

  it('leaves an outcome without usage as it is', () => {
    const rendered = renderer.render({ status: 'missing', output: '', errorCode: 'NOT_PROCESSED' });
    expect(withTokens(rendered, 1, 1)).toBe(rendered);
  });
});

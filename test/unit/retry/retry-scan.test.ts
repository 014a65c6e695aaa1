import { describe, expect, it } from 'vitest';
import { scanShard } from '../../../lambda/core/retry/retry-scan';
import { RetrySelector } from '../../../lambda/core/retry/selection';

async function* lines(items: readonly string[]): AsyncGenerator<string> {
  yield* items;
}

const sidecar = (ids: readonly string[]) =>
  ids.map((recordId, i) => JSON.stringify({ recordId, row: i + 1, line: i + 2, cells: ['x'] }));
const answered = (recordId: string) =>
  JSON.stringify({
    recordId,
    modelInput: {},
    modelOutput: { content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 1, output_tokens: 1 } },
  });
const failed = (recordId: string, errorCode: number, errorMessage: string) =>
  JSON.stringify({ recordId, modelInput: {}, error: { errorCode, errorMessage } });
const mode: Parameters<typeof scanShard>[3] = { kind: 'anthropic-claude' };

describe('scanShard', () => {
  it('selects retryable errors and rows without a line, never answered or bad-request rows', async () => {
    const selector = new RetrySelector();
    const outputs = [
      answered('r1'),
      failed('r2', 429, 'Too many requests'),
      failed('r3', 400, 'Malformed input request'),
      failed('r4', 503, 'Service unavailable'),
      'not json',
      failed('r6', 408, 'Model timeout'),
    ];
    const selected = await scanShard(
      3,
      lines(outputs),
      lines(sidecar(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'])),
      mode,
      selector,
    );
    expect(selected).toBe(4);
    const selection = selector.selection();
    expect(selection.shards).toEqual([{ shard: 3, recordIds: new Set(['r2', 'r4', 'r5', 'r6']) }]);
    expect(selection.byReason).toEqual({ throttled: 1, 'server-error': 1, timeout: 1, 'not-processed': 1 });
  });

  it('keeps an answered line over an error line for the same record, in either order', async () => {
    const selector = new RetrySelector();
    const outputs = [failed('r1', 500, 'Internal'), answered('r1'), answered('r2'), failed('r2', 500, 'x')];
    expect(await scanShard(1, lines(outputs), lines(sidecar(['r1', 'r2'])), mode, selector)).toBe(0);
  });
});

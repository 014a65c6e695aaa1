import { describe, expect, it } from 'vitest';
import { RowErrorCode } from '../../../lambda/core/contract/errors';
import { ReportRows } from '../../../lambda/core/report';
import { fixtureLines, rejected, runCollect, sidecar } from './harness';

describe("collectRun feeds report.html's figures while it writes the rows", () => {
  it('sees every written row once: tokens per row, and each error code with its count and first row', async () => {
    const rows = new ReportRows(['id', 'text']);
    const out = await runCollect({
      shards: [
        {
          shard: 1,
          rows: [
            sidecar('1', 1, ['1', '=cmd|calc']),
            sidecar('2', 2, ['2', 'second']),
            sidecar('3', 3, ['3', 'third']),
            sidecar('4', 4, ['4', 'fourth']),
            sidecar('5', 6, ['5', 'never answered']),
          ],
          outputs: [fixtureLines('claude.jsonl.out')],
          status: 'PartiallyCompleted',
        },
      ],
      rejected: [rejected(5, 6, ['x'])],
      observer: rows,
    });
    expect(out.summary.counts).toEqual({ input: 6, ok: 3, error: 1, rejected: 1, missing: 1 });
    const figures = rows.snapshot();
    // Tokens come through the spill store (encoded and decoded) for the rows that reported them.
    expect(figures.perRow.input.count).toBe(3);
    expect(figures.perRow.input.min).toBe(10);
    expect(figures.perRow.input.max).toBe(40);
    expect(figures.perRow.input.bins.reduce((n, b) => n + b.count, 0)).toBe(3);
    expect(figures.errors.map((g) => [g.code, g.count, g.statuses])).toEqual([
      [RowErrorCode.ModelError, 1, ['error']],
      [RowErrorCode.NotProcessed, 1, ['missing']],
      ['ROW_COLUMN_COUNT', 1, ['rejected']],
    ]);
    const model = figures.errors[0]!.sample;
    expect(model.row).toBe(2);
    expect(model.cells).toEqual([
      { column: 'id', value: '2' },
      { column: 'text', value: 'second' },
    ]);
    expect(model.message).toBe('400: messages.0.content: Field required');
    expect(figures.errors[2]!.sample.row).toBe(5);
  });
});

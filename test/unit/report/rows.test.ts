import { describe, expect, it } from 'vitest';
import { MAX_ERROR_CODES } from '../../../lambda/core/report/data';
import { ReportRows, SAMPLE_CELL_CHARS, SAMPLE_CELLS } from '../../../lambda/core/report/rows';

describe('ReportRows: what the report keeps of the rows is bounded', () => {
  it(`tracks at most ${MAX_ERROR_CODES} codes with a sample; rows of further codes are only counted`, () => {
    const rows = new ReportRows(['a']);
    for (let i = 0; i < 200; i++) {
      rows.observe({ row: i + 1, recordId: `r${i}`, cells: ['x'] }, { status: 'error', errorCode: `C${i}` });
    }
    const figures = rows.snapshot();
    expect(figures.errors).toHaveLength(MAX_ERROR_CODES);
    expect(figures.otherErrors).toBe(200 - MAX_ERROR_CODES);
  });

  it('keeps the first row of a code, its leading cells only, each cut short', () => {
    const header = Array.from({ length: 20 }, (_, i) => `col${i}`);
    const rows = new ReportRows(header);
    const huge = 'y'.repeat(1_000_000);
    rows.observe(
      { row: 7, recordId: 'r7', cells: header.map(() => huge) },
      { status: 'missing', errorMessage: huge },
    );
    rows.observe({ row: 8, recordId: 'r8', cells: ['later'] }, { status: 'missing' });
    const [group] = rows.snapshot().errors;
    expect(group).toMatchObject({ code: 'missing', count: 2, statuses: ['missing'] });
    expect(group!.sample.row).toBe(7);
    expect(group!.sample.cells).toHaveLength(SAMPLE_CELLS);
    expect(Array.from(group!.sample.cells[0]!.value)).toHaveLength(SAMPLE_CELL_CHARS);
    expect(group!.sample.message.length).toBeLessThan(1000);
  });

  it('names cells past the header by position, and counts ok rows only in the histograms', () => {
    const rows = new ReportRows(['only']);
    rows.observe(
      { row: 1, recordId: 'r1', cells: ['a', 'b'] },
      { status: 'rejected', errorCode: 'ROW_COLUMN_COUNT' },
    );
    rows.observe({ row: 2, recordId: 'r2', cells: ['c'] }, { status: 'ok', inputTokens: 5, outputTokens: 2 });
    const figures = rows.snapshot();
    expect(figures.errors[0]!.sample.cells).toEqual([{ column: 'only', value: 'a' }]);
    expect(figures.errors).toHaveLength(1);
    expect(figures.perRow.input.count).toBe(1);
    expect(figures.perRow.output.max).toBe(2);
  });
});

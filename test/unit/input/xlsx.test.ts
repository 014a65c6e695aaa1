import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EncryptedWorkbookError,
  InvalidWorkbookError,
  LegacyWorkbookError,
  NoWorksheetError,
  SheetNotFoundError,
} from '../../../lambda/core/contract/errors';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { cellStrings } from '../../../lambda/core/csv/parser';
import { compileFormat } from '../../../lambda/core/input/xlsx/format-code';
import { readXlsx } from '../../../lambda/core/input/xlsx/index';
import { formatNumber } from '../../../lambda/core/input/xlsx/numfmt';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { prepare } from '../../../lambda/core/prepare/prepare';
import { type WorkbookSpec, writeXlsx } from '../../helpers/xlsx-writer';
import { chunked, lines, testPipeline } from '../prepare/helpers';

const dir = mkdtempSync(join(tmpdir(), 'xlsx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function book(spec: WorkbookSpec): Promise<string> {
  const path = join(dir, `b${++n}.xlsx`);
  await writeXlsx(path, spec);
  return path;
}

async function rowsOf(path: string, options: { sheet?: string; memoryChars?: number } = {}) {
  const out: { line: number; cells: string[] }[] = [];
  for await (const batch of readXlsx(path, { maxRowBytes: 1 << 20, ...options })) {
    for (const row of batch) out.push({ line: row.line, cells: cellStrings(row) });
  }
  return out;
}

describe('readXlsx: shown values', () => {
  it('shows numbers without float noise, formats, dates as ISO 8601, booleans, errors, formulas, rich text', async () => {
    const path = await book({
      sheets: [
        {
          name: 'Data',
          rows: [
            ['name', 'value'],
            ['float', 0.30000000000000004],
            ['int', 42],
            ['big', 123456789012345680000],
            ['fixed', { number: 1234.5, format: '#,##0.00' }],
            ['percent', { number: 0.125, format: '0.0%' }],
            ['currency', { number: -3.5, format: '"$"#,##0.00_);("$"#,##0.00)' }],
            ['scientific', { number: 12345, format: '0.00E+00' }],
            ['date', { number: 45292, format: 'dd/mm/yyyy' }],
            ['datetime', { number: 45292.75, format: 'yyyy-mm-dd hh:mm:ss' }],
            ['time', { number: 0.5, format: 'h:mm AM/PM' }],
            ['elapsed', { number: 1.25, format: '[h]:mm:ss' }],
            ['builtin date', { number: 60, format: 'yyyy-mm-dd' }],
            ['true', true],
            ['false', false],
            ['error', { error: '#N/A' }],
            ['formula', { formula: 'A1&"!"', cached: 'name!', type: 'str' }],
            ['formula number', { formula: '0.1+0.2', cached: 0.30000000000000004 }],
            ['rich', { rich: ['bold ', 'and plain'], phonetic: 'ignored' }],
            ['inline', { inline: 'in_x000D_line' }],
            ['iso date', { date: '2024-03-01T00:00:00Z' }],
            ['text with spaces', '  kept  '],
          ],
        },
      ],
    });
    const rows = await rowsOf(path);
    expect(Object.fromEntries(rows.slice(1).map((r) => r.cells))).toEqual({
      float: '0.3',
      int: '42',
      big: '1.23456789012346E+20',
      fixed: '1,234.50',
      percent: '12.5%',
      currency: '($3.50)',
      scientific: '1.23E+04',
      date: '2024-01-01',
      datetime: '2024-01-01T18:00:00',
      time: '12:00',
      elapsed: '30:00:00',
      'builtin date': '1900-02-29',
      true: 'TRUE',
      false: 'FALSE',
      error: '#N/A',
      formula: 'name!',
      'formula number': '0.3',
      rich: 'bold and plain',
      inline: 'in\rline',
      'iso date': '2024-03-01T00:00:00Z',
      'text with spaces': '  kept  ',
    });
  });

  it('counts dates from 1904-01-01 in the 1904 date system', async () => {
    const path = await book({
      date1904: true,
      sheets: [
        {
          name: 'S',
          rows: [['d'], [{ number: 0, format: 'yyyy-mm-dd' }], [{ number: 43830, format: 'yyyy-mm-dd' }]],
        },
      ],
    });
    expect((await rowsOf(path)).map((r) => r.cells[0])).toEqual(['d', '1904-01-01', '2024-01-01']);
  });

  it('formats like Excel: rounding half away from zero at 15 digits, optional decimals, sections, General', () => {
    const f = (value: number, code: string) => formatNumber(value, compileFormat(code), false);
    expect(f(1.005, '0.00')).toBe('1.01');
    expect(f(2.5, '0')).toBe('3');
    expect(f(1.5, '0.0#')).toBe('1.5');
    expect(f(1.567, '0.0#')).toBe('1.57');
    expect(f(7, '000')).toBe('007');
    expect(f(-1234567.891, '#,##0.0')).toBe('-1,234,567.9');
    expect(f(0, '0;-0;"zero"')).toBe('zero');
    expect(f(5, '[Red][>0]0')).toBe('5');
    expect(f(1 / 3, 'General')).toBe('0.333333333333333');
    expect(f(0.75, '# ?/?')).toBe('0.75');
    expect(f(3, '[$€-407] #,##0.00')).toBe('€ 3.00');
    expect(f(45292.999999, 'yyyy-mm-dd')).toBe('2024-01-02');
  });
});

describe('readXlsx: layout rules', () => {
  it('takes the first non-empty row as the header, skips empty rows, pads missing cells, reads hidden rows', async () => {
    const path = await book({
      sheets: [
        {
          name: 'S',
          rows: [
            [null, null],
            { r: 3, cells: ['id', null, 'q'] },
            ['1', null, 'a'],
            { r: 6, cells: ['2'] },
            { hidden: true, cells: ['3', 'b', 'c'] },
            ['', null],
            ['4', null, 'd', null, 'beyond'],
          ],
          after: '<mergeCells count="1"><mergeCell ref="A4:B4"/></mergeCells>',
        },
      ],
    });
    expect(await rowsOf(path)).toEqual([
      { line: 3, cells: ['id', '', 'q'] },
      { line: 4, cells: ['1', '', 'a'] },
      { line: 6, cells: ['2', '', ''] },
      { line: 7, cells: ['3', 'b', 'c'] },
      { line: 9, cells: ['4', '', 'd', '', 'beyond'] },
    ]);
  });

  it('reads the first visible worksheet, or the sheet the pipeline names (any letter case)', async () => {
    const path = await book({
      sheets: [
        { name: 'Chart', kind: 'chartsheet', rows: [] },
        { name: 'Hidden', state: 'hidden', rows: [['h'], ['1']] },
        { name: 'Visible', rows: [['v'], ['2']] },
      ],
    });
    expect((await rowsOf(path)).map((r) => r.cells[0])).toEqual(['v', '2']);
    expect((await rowsOf(path, { sheet: 'hidden' })).map((r) => r.cells[0])).toEqual(['h', '1']);
    await expect(rowsOf(path, { sheet: 'Nope' })).rejects.toThrow(SheetNotFoundError);
    await expect(rowsOf(path, { sheet: 'Nope' })).rejects.toThrow(/"Chart", "Hidden", "Visible"/);
    await expect(rowsOf(path, { sheet: 'Chart' })).rejects.toThrow(NoWorksheetError);
  });

  it('moves a large shared strings table to a temporary file and reads the same values', async () => {
    const words = Array.from({ length: 300 }, (_, i) => `word ${i} ${'é'.repeat(i % 7)}`);
    const path = await book({ sheets: [{ name: 'S', rows: [['w'], ...words.map((w) => [w])] }] });
    const inMemory = await rowsOf(path);
    const spilled = await rowsOf(path, { memoryChars: 100 });
    expect(spilled).toEqual(inMemory);
    expect(spilled.slice(1).map((r) => r.cells[0])).toEqual(words);
  });
});

describe('readXlsx: workbooks that cannot be read', () => {
  const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

  it('refuses a password-protected workbook, an .xls saved as .xlsx, a macro-only workbook and a non-zip', async () => {
    const encrypted = join(dir, 'enc.xlsx');
    writeFileSync(
      encrypted,
      Buffer.concat([ole, Buffer.alloc(600), Buffer.from('EncryptedPackage', 'utf16le')]),
    );
    await expect(rowsOf(encrypted)).rejects.toThrow(EncryptedWorkbookError);
    const legacy = join(dir, 'legacy.xlsx');
    writeFileSync(legacy, Buffer.concat([ole, Buffer.alloc(600, 1)]));
    await expect(rowsOf(legacy)).rejects.toThrow(LegacyWorkbookError);
    const macros = await book({ sheets: [{ name: 'Macro1', kind: 'macrosheet', rows: [] }] });
    await expect(rowsOf(macros)).rejects.toThrow(NoWorksheetError);
    await expect(rowsOf(macros)).rejects.toThrow(/only macrosheet sheets/);
    const text = join(dir, 'text.xlsx');
    writeFileSync(text, 'a,b\n1,2\n');
    await expect(rowsOf(text)).rejects.toThrow(InvalidWorkbookError);
    const truncated = join(dir, 'truncated.xlsx');
    writeFileSync(truncated, Buffer.from('PK\x03\x04 and then nothing'));
    await expect(rowsOf(truncated)).rejects.toThrow(InvalidWorkbookError);
  });

  it('gives each its own code through prepare, and refuses .xls by name', async () => {
    const codes: string[] = [];
    for (const name of ['book.xls', 'book.XLSX']) {
      try {
        await prepare(chunked(Buffer.concat([ole, Buffer.alloc(64)])), {
          pipeline: testPipeline(),
          sinks: memorySinks(),
          keys: LOCAL_KEYS,
          input: { name },
        });
      } catch (error) {
        codes.push((error as { code: string }).code);
      }
    }
    expect(codes).toEqual(['XLS_NOT_SUPPORTED', 'XLS_NOT_SUPPORTED']);
  });
});

describe('prepare over a workbook', () => {
  it('reads the pipeline sheet, names sheet rows in messages and rejects a row wider than the header', async () => {
    const path = await book({
      sheets: [
        { name: 'Notes', rows: [['ignore me']] },
        {
          name: 'Data',
          rows: [
            ['Context', 'Response'],
            ['=1+1', 'b'],
            ['c', 'd', 'stray'],
            ['e', 0.1],
          ],
        },
      ],
    });
    const sinks = memorySinks();
    const plan = await prepare(chunked('unused'), {
      pipeline: testPipeline({ sheet: 'Data' }),
      sinks,
      keys: LOCAL_KEYS,
      input: { name: 'in.xlsx', path },
    });
    expect(plan).toMatchObject({ rows: 3, records: 2, rejected: 1 });
    const [rejected] = lines(sinks, 'rows/rejected.jsonl');
    expect(rejected).toMatchObject({ row: 2, line: 3, code: 'ROW_COLUMN_COUNT', cells: ['c', 'd', 'stray'] });
    expect(rejected!.message).toBe('The row on sheet row 3 has 3 cell(s); the header has 2.');
    expect(lines(sinks, 'rows/shard-0001.jsonl').map((r) => r.cells)).toEqual([
      ['=1+1', 'b'],
      ['e', '0.1'],
    ]);
  });

  it('spills the bytes to a temporary file when no path is given (Lambda reads S3 as a stream)', async () => {
    const path = await book({
      sheets: [
        {
          name: 'S',
          rows: [
            ['Context', 'Response'],
            ['a', 'b'],
          ],
        },
      ],
    });
    const { readFileSync } = await import('node:fs');
    const plan = await prepare(chunked(readFileSync(path), 1000), {
      pipeline: testPipeline(),
      sinks: memorySinks(),
      keys: LOCAL_KEYS,
      input: { name: 'inbox/qa/in.Xlsx' },
    });
    expect(plan.records).toBe(1);
  });
});

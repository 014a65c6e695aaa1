import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runner';
import { csvTable, writeTableJsonl, writeTableParquet, writeTableXlsx } from '../helpers/input-formats';
import { LocalStacks, reconcile } from '../helpers/local-stack';
import { writeXlsx } from '../helpers/xlsx-writer';

const CONVERSATIONS = join(import.meta.dirname, '..', '..', 'examples', 'conversations.csv');

describe('an .xlsx, a .jsonl and a .parquet version of a CSV give the same results.csv', () => {
  const stacks = new LocalStacks();
  const dir = mkdtempSync(join(tmpdir(), 'e2e-formats-'));
  let stack: LocalStack;
  let csv: string;
  let table: { header: string[]; rows: string[][] };

  beforeAll(async () => {
    stack = await stacks.start();
    // The example conversations plus a cell a spreadsheet would run as a formula (neutralised in results).
    const base = csvTable(readFileSync(CONVERSATIONS, 'utf8'));
    table = { header: base.header, rows: [...base.rows, ['=HYPERLINK("http://x","click")', '+1 and @me']] };
    csv = `${[table.header, ...table.rows].map((row) => row.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`;
  });
  afterAll(async () => {
    await stacks.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the CSV, then each format, and compares results.csv byte for byte', async () => {
    const reference = await stacks.run(stack, csv, {
      pipeline: 'conversations',
      fileName: 'conversations.csv',
    });
    expect(reference.outcome.status).toBe('succeeded');
    expect(reference.summary?.counts).toEqual({ input: 321, ok: 321, error: 0, rejected: 0, missing: 0 });
    expect(reference.resultsCsv).toContain(`"'=HYPERLINK(""http://x"",""click"")"`);

    await writeTableXlsx(join(dir, 'c.xlsx'), table);
    writeTableJsonl(join(dir, 'c.jsonl'), table);
    writeTableParquet(join(dir, 'c.parquet'), table, { rowGroupSize: 100 });
    for (const [file, name] of [
      ['c.xlsx', 'conversations.XLSX'],
      ['c.jsonl', 'conversations.jsonl'],
      ['c.parquet', 'conversations.Parquet'],
    ] as const) {
      const run = await stacks.run(stack, readFileSync(join(dir, file)), {
        pipeline: 'conversations',
        fileName: name,
      });
      expect(run.outcome.status, name).toBe('succeeded');
      expect(run.summary?.counts, name).toEqual(reference.summary?.counts);
      expect(run.resultsCsv, name).toBe(reference.resultsCsv);
    }
  });

  it('rejects a workbook row wider than the header and a JSON Lines row with a new key, with reasons', async () => {
    const rows = table.rows.slice(0, 8);
    const wide = join(dir, 'wide.xlsx');
    await writeXlsx(wide, { sheets: [{ name: 'S', rows: [table.header, ...rows, ['a', 'b', 'stray']] }] });
    const xlsx = await stacks.run(stack, readFileSync(wide), {
      pipeline: 'conversations',
      fileName: 'wide.xlsx',
    });
    const jsonl = await stacks.run(
      stack,
      `${rows.map((r) => JSON.stringify({ Context: r[0], Response: r[1] })).join('\n')}\n{"Context":"a","Response":"b","Note":1}\n`,
      { pipeline: 'conversations', fileName: 'new-key.jsonl' },
    );
    for (const [run, code, where] of [
      [xlsx, 'ROW_COLUMN_COUNT', 'sheet row 10'],
      [jsonl, 'ROW_NEW_KEY', 'Line 9'],
    ] as const) {
      expect(run.outcome.status).toBe('succeeded');
      expect(run.summary?.counts).toMatchObject({ input: 9, ok: 8, rejected: 1 });
      const [input, parts] = reconcile(run.summary!);
      expect(parts).toBe(input);
      const rejected = run.rows.filter((row) => row.status === 'rejected');
      expect(rejected.map((row) => row.error_code)).toEqual([code]);
      expect(rejected[0]!.error_message).toContain(where);
      expect(rejected[0]!.Context).toBe('a');
      expect(run.rows.map((row) => row.Context).slice(0, 8)).toEqual(rows.map((r) => r[0]));
    }
  });

  it('fails a password-protected workbook with XLSX_ENCRYPTED and an .xls with XLS_NOT_SUPPORTED', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const encrypted = Buffer.concat([ole, Buffer.alloc(504), Buffer.from('EncryptedPackage', 'utf16le')]);
    const locked = await stacks.run(stack, encrypted, { pipeline: 'conversations', fileName: 'locked.xlsx' });
    expect(locked.outcome.status).toBe('failed');
    expect(locked.report).toMatchObject({ code: 'XLSX_ENCRYPTED' });
    const legacy = await stacks.run(stack, ole, { pipeline: 'conversations', fileName: 'old.xls' });
    expect(legacy.report).toMatchObject({ code: 'XLS_NOT_SUPPORTED' });
  });
});

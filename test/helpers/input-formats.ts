/**
 * The same table as `.xlsx`, `.jsonl` and `.parquet` files, for tests that check every format gives the
 * CSV's results. Cells are written as text (the CSV's values), so the results must match byte for byte.
 */
import { writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { parquetWriteFile } from 'hyparquet-writer';
import { writeXlsx } from './xlsx-writer';

/** The CSV's header and rows (every cell a string). */
export function csvTable(csv: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = parse(csv, { bom: true, relax_column_count: true }) as string[][];
  return { header: header!, rows };
}

/** Writes the table as a one-sheet workbook (shared strings, as Excel writes text). */
export async function writeTableXlsx(
  path: string,
  table: { header: string[]; rows: string[][] },
  sheet = 'Sheet1',
): Promise<void> {
  await writeXlsx(path, { sheets: [{ name: sheet, rows: [table.header, ...table.rows] }] });
}

/** Writes the table as JSON Lines, one object per row with the header's keys. */
export function writeTableJsonl(path: string, table: { header: string[]; rows: string[][] }): void {
  const lines = table.rows.map((row) =>
    JSON.stringify(Object.fromEntries(table.header.map((h, i) => [h, row[i] ?? '']))),
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Writes the table as Parquet (string columns, snappy, `rowGroupSize` rows per row group). */
export function writeTableParquet(
  path: string,
  table: { header: string[]; rows: string[][] },
  options: { rowGroupSize?: number; codec?: 'SNAPPY' | 'UNCOMPRESSED' } = {},
): void {
  parquetWriteFile({
    filename: path,
    columnData: table.header.map((name, c) => ({
      name,
      data: table.rows.map((row) => row[c] ?? ''),
      type: 'STRING' as const,
    })),
    rowGroupSize: options.rowGroupSize ?? 100,
    codec: options.codec ?? 'SNAPPY',
  });
}

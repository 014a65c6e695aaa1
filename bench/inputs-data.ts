/**
 * Generates the inputs bench files under bench/.data (cached): a workbook of about 100 MB (.xlsx, text in
 * shared strings as Excel writes it, plus a number and a date column) and a Parquet file of about 200 MB
 * (snappy, 50,000-row row groups). Rows are ~870 bytes of mixed text like bench/prepare-data.ts's.
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import { SHEET_OPEN, WorkbookParts, writeWorkbookParts } from '../test/helpers/xlsx-writer';
import { prng, sentence } from './prepare-data';

const dir = join(import.meta.dirname, '.data');

function row(rand: () => number, i: number): [string, string, number, number] {
  return [
    sentence(rand, 70 + Math.floor(rand() * 40)),
    sentence(rand, 40 + Math.floor(rand() * 30)),
    rand() * 1000,
    45000 + (i % 3650),
  ];
}

/** The path of the generated workbook with `rows` rows, made if missing. */
export async function benchXlsx(rows: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `conversations-${rows}.xlsx`);
  if (existsSync(path)) return path;
  const parts = new WorkbookParts();
  const rand = prng(17);
  const date = parts.style('yyyy-mm-dd');
  const amount = parts.style('#,##0.00');
  function* sheet(): Generator<string> {
    yield SHEET_OPEN;
    yield parts.row(1, ['Context', 'Response', 'Amount', 'Date']);
    let batch: string[] = [];
    for (let i = 0; i < rows; i++) {
      const [context, response, value, day] = row(rand, i);
      const r = i + 2;
      batch.push(
        `<row r="${r}">${parts.cell(`A${r}`, context)}${parts.cell(`B${r}`, response)}<c r="C${r}" s="${amount}"><v>${value}</v></c><c r="D${r}" s="${date}"><v>${day}</v></c></row>`,
      );
      if (batch.length === 2000) {
        yield batch.join('');
        batch = [];
      }
    }
    yield `${batch.join('')}</sheetData></worksheet>`;
  }
  await writeWorkbookParts(`${path}.tmp`, { sheets: [{ name: 'Conversations' }] }, parts, () => sheet());
  renameSync(`${path}.tmp`, path);
  return path;
}

/** The path of the generated Parquet file with `rows` rows, made if missing. */
export function benchParquet(rows: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `conversations-${rows}.parquet`);
  if (existsSync(path)) return path;
  const rand = prng(29);
  const writer = new ParquetWriter({
    writer: fileWriter(`${path}.tmp`),
    schema: [
      { name: 'root', num_children: 4 },
      { name: 'Context', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'Response', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'Amount', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      { name: 'Id', type: 'INT64', repetition_type: 'REQUIRED' },
    ],
  });
  const group = 50_000;
  for (let start = 0; start < rows; start += group) {
    const n = Math.min(group, rows - start);
    const columns: [string[], string[], number[], bigint[]] = [[], [], [], []];
    for (let i = 0; i < n; i++) {
      const [c, r, v] = row(rand, start + i);
      columns[0].push(c);
      columns[1].push(r);
      columns[2].push(v);
      columns[3].push(BigInt(start + i));
    }
    writer.write({
      columnData: [
        { name: 'Context', data: columns[0] },
        { name: 'Response', data: columns[1] },
        { name: 'Amount', data: columns[2] },
        { name: 'Id', data: columns[3] },
      ],
      rowGroupSize: group,
    });
  }
  writer.finish();
  renameSync(`${path}.tmp`, path);
  return path;
}

/** Size in MB (10^6 bytes). */
export function megabytes(path: string): number {
  return statSync(path).size / 1e6;
}

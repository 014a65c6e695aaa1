/**
 * The row source Prepare reads: a header and rows of cells in file order, whatever the file's format,
 * plus the word messages use to point at a row. The format comes from the file name's extension (any
 * letter case); each reader confirms it from the bytes. The CSV path is the CSV reader itself, unchanged.
 */

import { LegacyWorkbookError, type RowErrorCode } from '../contract/errors';
import { checkHeader } from '../csv/header';
import type { RawRow } from '../csv/parser';
import { type ByteSource, readCsv } from '../csv/reader';
import { type InputFormat, inputFormatOf } from './format';
import { columnNames } from './header';
import { readJsonl } from './jsonl';
import { spillToFile } from './spill';

/** A row, with the reader's own reason to reject it when it has one (JSON Lines). */
export interface SourceRow extends RawRow {
  readonly issue?: { readonly code: RowErrorCode; readonly message: string };
}

/**
 * How messages name a row's place: a physical line (CSV, JSON Lines), the sheet's row number as Excel
 * shows it (`sheet row`), or the 1-based row number in a Parquet file (`row`).
 */
export type Locator = 'line' | 'sheet row' | 'row';

/** Rows of one input file. */
export interface RowSource {
  readonly format: InputFormat;
  readonly locator: Locator;
  /** Batches of rows in file order; the first row yielded is the header. Throws the format's typed errors. */
  batches(): AsyncIterable<SourceRow[]>;
  /** Checks the header row and returns the column names. */
  header(row: RawRow): string[];
}

/** What is known about the file besides its bytes. */
export interface InputFile {
  /** The file name or S3 key: its extension picks the format (anything else is read as CSV). */
  readonly name: string;
  /** A local path to the same bytes, for the formats that need random access (else they are spilled). */
  readonly path?: string;
  /** The workbook sheet to read (the pipeline's `sheet`); the first visible worksheet when unset. */
  readonly sheet?: string;
}

/** Runs `read` over a local file: `file.path`, or a temporary copy of `bytes` removed afterwards. */
async function* fromFile(
  bytes: ByteSource,
  file: InputFile,
  read: (path: string) => AsyncGenerator<SourceRow[]>,
): AsyncGenerator<SourceRow[]> {
  if (file.path !== undefined) {
    yield* read(file.path);
    return;
  }
  const spilled = await spillToFile(bytes);
  try {
    yield* read(spilled.path);
  } finally {
    await spilled.remove();
  }
}

/**
 * The row source for a file. Without `file` (or with another extension) the bytes are read as CSV.
 *
 * @example for await (const rows of openRowSource(stream, { name: 'q.jsonl' }, 1 << 20).batches()) ...
 */
export function openRowSource(
  bytes: ByteSource,
  file: InputFile | undefined,
  maxRowBytes: number,
): RowSource {
  const format = file === undefined ? 'csv' : (inputFormatOf(file.name) ?? 'csv');
  switch (format) {
    case 'csv':
      return { format, locator: 'line', batches: () => readCsv(bytes, maxRowBytes), header: checkHeader };
    case 'jsonl':
      return { format, locator: 'line', batches: () => readJsonl(bytes, maxRowBytes), header: columnNames };
    case 'xlsx':
      return {
        format,
        locator: 'sheet row',
        // The workbook and Parquet readers (with their zip, XML and decompression libraries) are loaded
        // only for such files: a CSV run does not pay their start-up.
        batches: () =>
          fromFile(bytes, file!, async function* (path) {
            const { readXlsx } = await import('./xlsx/index');
            yield* readXlsx(path, { sheet: file!.sheet, maxRowBytes });
          }),
        header: columnNames,
      };
    case 'parquet':
      return {
        format,
        locator: 'row',
        batches: () =>
          fromFile(bytes, file!, async function* (path) {
            const { readParquet } = await import('./parquet');
            yield* readParquet(path, maxRowBytes);
          }),
        header: columnNames,
      };
    case 'xls':
      return {
        format,
        locator: 'sheet row',
        // biome-ignore lint/correctness/useYield: the format is refused before any byte is read
        batches: async function* () {
          throw new LegacyWorkbookError(
            'The file is a legacy Excel 97-2003 workbook (.xls), which is not read; save it as "Excel Workbook (.xlsx)" or "CSV UTF-8" and upload that.',
          );
        },
        header: columnNames,
      };
  }
}

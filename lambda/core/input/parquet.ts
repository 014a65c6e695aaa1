/**
 * Parquet in, rows out, row group by row group in slices of 2,000 rows (pages read through the offset
 * index when the file has one, so memory follows the slice, not the file).
 * Columns are the schema's top-level fields in order. Cells: strings as they are, null as empty, numbers
 * and booleans as JSON text, 64-bit integers in full, timestamps and dates as ISO 8601, binary as base64,
 * structs, lists and maps as JSON text. Compression: snappy, gzip, zstd, brotli and lz4 (hyparquet and
 * hyparquet-compressors); anything unreadable is `INVALID_PARQUET`.
 */
import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { InvalidParquetError } from '../contract/errors';
import { rowOfStrings } from './row';
import { fileSignature } from './sniff';
import type { SourceRow } from './source';

/** JSON text of a decoded value: 64-bit integers keep every digit, bytes become base64. */
function jsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number')
    return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(isoDate(value));
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value instanceof Map) return jsonText(Object.fromEntries(value));
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
}

function isoDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/**
 * A decoded Parquet value as a cell.
 *
 * @example parquetCell(12345678901234567890n) // '12345678901234567890'
 */
export function parquetCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : String(value);
  if (value instanceof Date) return isoDate(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return jsonText(value);
}

function unreadable(error: unknown): InvalidParquetError {
  const detail = error instanceof Error ? error.message.replace(/^parquet /, '') : String(error);
  return new InvalidParquetError(`The Parquet file cannot be read: ${detail}.`, { cause: error });
}

/**
 * Reads the Parquet file at `path`, yielding one batch per slice of a row group; the first row is the header
 * (locator 0), then each row with its 1-based row number. Throws `InvalidParquetError`.
 *
 * @example for await (const rows of readParquet('a.parquet', 1 << 20)) console.log(rows.length);
 */
export async function* readParquet(path: string, maxRowBytes: number): AsyncGenerator<SourceRow[]> {
  if ((await fileSignature(path)) !== 'parquet') {
    throw new InvalidParquetError(
      'The file is named .parquet but does not start with the Parquet signature "PAR1"; upload the Parquet file itself.',
    );
  }
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  let names: string[];
  try {
    metadata = await parquetMetadataAsync(file);
    names = parquetSchema(metadata).children.map((child) => child.element.name);
  } catch (error) {
    throw unreadable(error);
  }
  yield [rowOfStrings(names, 0, maxRowBytes)];
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    for (let start = groupStart; start < groupEnd; start += SLICE_ROWS) {
      const out = await readSlice(file, metadata, start, Math.min(groupEnd, start + SLICE_ROWS), maxRowBytes);
      if (out.length > 0) yield out;
    }
    groupStart = groupEnd;
  }
}

/**
 * Rows decoded at once. With the file's offset index (most writers add one) only the pages of the
 * slice are read, so memory follows the slice, not the row group; without it the row group's column
 * chunks are read for each slice.
 */
const SLICE_ROWS = 2_000;

async function readSlice(
  file: AsyncBuffer,
  metadata: FileMetaData,
  rowStart: number,
  rowEnd: number,
  maxRowBytes: number,
): Promise<SourceRow[]> {
  let rows: unknown[][] = [];
  try {
    await parquetRead({
      file,
      metadata,
      compressors,
      rowStart,
      rowEnd,
      useOffsetIndex: true,
      onComplete: (data: unknown[][]) => {
        rows = data;
      },
    });
  } catch (error) {
    throw unreadable(error);
  }
  const out: SourceRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const values = rows[i]!;
    const cells = new Array<string>(values.length);
    for (let c = 0; c < values.length; c++) cells[c] = parquetCell(values[c]);
    out[i] = rowOfStrings(cells, rowStart + i + 1, maxRowBytes);
  }
  return out;
}

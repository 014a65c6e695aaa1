/**
 * Bytes in, batches of rows out: file signature, UTF-8 byte-order mark, UTF-8 validation and parsing,
 * one input chunk at a time. The first row yielded is the header (blank lines before it are skipped).
 */
import { CsvParser, type RawRow } from './parser';
import { checkSignature, SIGNATURE_BYTES, utf8BomLength } from './signature';
import { Utf8Validator } from './utf8';

/** Anything that yields the file's bytes in order (a Node Readable, an S3 body, a generator). */
export type ByteSource = AsyncIterable<Uint8Array | string>;

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Parses a CSV byte stream, yielding the rows each input chunk completes (possibly none).
 * Throws `NotCsvError`, `InvalidEncodingError` or `InvalidCsvError` as soon as the bytes show the problem.
 *
 * @example
 * for await (const rows of readCsv(createReadStream('a.csv'), 1 << 20)) console.log(rows.length);
 */
export async function* readCsv(source: ByteSource, maxRowBytes: number): AsyncGenerator<RawRow[]> {
  const parser = new CsvParser(maxRowBytes);
  const utf8 = new Utf8Validator();
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const piece of source) {
    let chunk = toBuffer(piece);
    if (head !== undefined) {
      head = Buffer.concat([head, chunk]);
      if (head.length < SIGNATURE_BYTES) continue;
      chunk = start(head, utf8);
      head = undefined;
    }
    utf8.push(chunk);
    const rows: RawRow[] = [];
    parser.push(chunk, rows);
    if (rows.length > 0) yield rows;
  }
  const rows: RawRow[] = [];
  if (head !== undefined) {
    const chunk = start(head, utf8);
    utf8.push(chunk);
    parser.push(chunk, rows);
  }
  utf8.end();
  parser.end(rows);
  if (rows.length > 0) yield rows;
}

function start(head: Buffer, utf8: Utf8Validator): Buffer {
  checkSignature(head.subarray(0, SIGNATURE_BYTES));
  const bom = utf8BomLength(head);
  utf8.skip(bom);
  return head.subarray(bom);
}

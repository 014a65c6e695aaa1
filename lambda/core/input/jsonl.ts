/**
 * JSON Lines in, rows out, one input chunk at a time. Rules (docs/analyst.md):
 * - one JSON object per line; lines with only whitespace are skipped; a UTF-8 byte-order mark is skipped;
 * - the first object's keys, in their order, are the columns (its line is both the header and row 1);
 * - a later object may leave keys out (empty cells) or order them differently; a key the first object
 *   does not have rejects that row (`ROW_NEW_KEY`, naming the line and the key);
 * - a line that is not a JSON object rejects that row (`ROW_INVALID_JSON`); when the first line is not one,
 *   the file fails (`INVALID_JSONL`), as there is no header;
 * - values: strings as they are, `null` as empty, numbers, booleans, objects and arrays as their JSON
 *   text exactly as written in the file (no re-formatting, no lost digits).
 */

import { InvalidEncodingError, InvalidJsonlError, RowErrorCode } from '../contract/errors';
import type { ByteSource } from '../csv/reader';
import { rowOfStrings } from './row';
import type { SourceRow } from './source';

const LF = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8', { fatal: true });

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** One top-level key of an object line, with its value's cell text. */
interface Field {
  readonly key: string;
  readonly cell: string;
}

class NotAnObject extends Error {}

function skipSpace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
    i++;
  }
  return i;
}

/** The index after the string literal starting at `i` (a `"`). */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  throw new NotAnObject('a string is not closed');
}

/** The index after the JSON value starting at `i`. */
function valueEnd(s: string, i: number): number {
  const first = s[i];
  if (first === '"') return stringEnd(s, i);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const c = s[j];
      if (c === '"') j = stringEnd(s, j) - 1;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new NotAnObject('an object or array is not closed');
  }
  let j = i;
  while (j < s.length && !',}] \t\r\n'.includes(s[j]!)) j++;
  return j;
}

/** The cell text of one raw JSON value (validated by `JSON.parse`). */
function cellOf(raw: string): string {
  const value: unknown = JSON.parse(raw);
  if (typeof value === 'string') return value;
  if (value === null) return '';
  return raw;
}

/**
 * The top-level fields of a line holding one JSON object, values kept as written. Throws
 * {@link NotAnObject} (or a `SyntaxError`) for anything else.
 */
function fieldsOf(line: string): Field[] {
  let i = skipSpace(line, 0);
  if (line[i] !== '{') throw new NotAnObject('it is not a JSON object');
  i = skipSpace(line, i + 1);
  const fields: Field[] = [];
  if (line[i] === '}') i++;
  else {
    for (;;) {
      if (line[i] !== '"') throw new NotAnObject('a key is not a string');
      const keyEnd = stringEnd(line, i);
      const key = JSON.parse(line.slice(i, keyEnd)) as string;
      i = skipSpace(line, keyEnd);
      if (line[i] !== ':') throw new NotAnObject('a key has no ":"');
      const start = skipSpace(line, i + 1);
      const end = valueEnd(line, start);
      if (end === start) throw new NotAnObject('a value is missing');
      fields.push({ key, cell: cellOf(line.slice(start, end)) });
      i = skipSpace(line, end);
      if (line[i] === ',') {
        i = skipSpace(line, i + 1);
        continue;
      }
      if (line[i] === '}') {
        i++;
        break;
      }
      throw new NotAnObject('"," or "}" is missing after a value');
    }
  }
  if (skipSpace(line, i) !== line.length) throw new NotAnObject('there is text after the object');
  return fields;
}

function reason(error: unknown): string {
  return error instanceof NotAnObject ? error.message : 'it is not valid JSON';
}

/** Turns complete lines into rows; holds the columns once the first object has set them. */
class JsonlRows {
  private columns: Map<string, number> | undefined;
  private names: string[] = [];
  private headerLine = 0;

  constructor(private readonly maxRowBytes: number) {}

  line(bytes: Buffer, line: number, out: SourceRow[]): void {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new InvalidEncodingError(
        `Line ${line} is not valid UTF-8; save the file as UTF-8 and upload it again.`,
      );
    }
    if (skipSpace(text, 0) === text.length) return;
    let fields: Field[] | undefined;
    let problem = '';
    try {
      fields = fieldsOf(text);
    } catch (error) {
      problem = reason(error);
    }
    if (this.columns === undefined) {
      if (fields === undefined) {
        throw new InvalidJsonlError(
          `Line ${line}, the first record, cannot be read as a JSON object (${problem}); its keys would be the columns.`,
        );
      }
      this.names = fields.map((f) => f.key);
      this.columns = new Map(this.names.map((name, i) => [name, i]));
      this.headerLine = line;
      out.push(rowOfStrings(this.names, line, this.maxRowBytes));
    }
    if (fields === undefined) {
      out.push({
        ...rowOfStrings([text], line, this.maxRowBytes),
        issue: { code: RowErrorCode.InvalidJson, message: `Line ${line} is not a JSON object: ${problem}.` },
      });
      return;
    }
    const cells = new Array<string>(this.names.length).fill('');
    const extra: string[] = [];
    let newKey: string | undefined;
    for (const { key, cell } of fields) {
      const index = this.columns.get(key);
      if (index === undefined) {
        newKey ??= key;
        extra.push(cell);
      } else cells[index] = cell;
    }
    const row = rowOfStrings(extra.length === 0 ? cells : [...cells, ...extra], line, this.maxRowBytes);
    if (newKey === undefined) out.push(row);
    else {
      out.push({
        ...row,
        issue: {
          code: RowErrorCode.NewKey,
          message: `Line ${line} has the key ${JSON.stringify(newKey)}, which the first record (line ${this.headerLine}) does not have; the first record's keys are the columns.`,
        },
      });
    }
  }

  tooLarge(line: number, bytes: number, out: SourceRow[]): void {
    if (this.columns === undefined) {
      throw new InvalidJsonlError(`Line ${line}, the first record, is larger than the row size limit.`);
    }
    out.push({ data: Buffer.alloc(0), bounds: [], owned: [], line, bytes, tooLarge: true });
  }
}

/**
 * Reads JSON Lines, yielding the rows each input chunk completes; the first row is the header.
 * Throws `InvalidJsonlError` or `InvalidEncodingError`.
 *
 * @example for await (const rows of readJsonl(createReadStream('a.jsonl'), 1 << 20)) console.log(rows.length);
 */
export async function* readJsonl(source: ByteSource, maxRowBytes: number): AsyncGenerator<SourceRow[]> {
  const rows = new JsonlRows(maxRowBytes);
  let pieces: Buffer[] = [];
  let pending = 0;
  let skipping = false;
  let line = 1;
  let first = true;
  const finish = (tail: Buffer, out: SourceRow[]) => {
    let bytes = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail]);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    if (skipping) rows.tooLarge(line, pending + tail.length, out);
    else rows.line(bytes, line, out);
    pieces = [];
    pending = 0;
    skipping = false;
    line++;
  };
  for await (const piece of source) {
    let chunk = toBuffer(piece);
    if (first && chunk.length > 0) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      else if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        throw new InvalidEncodingError(
          'The file is encoded as UTF-16 (byte-order mark at byte offset 0); save it as UTF-8.',
        );
      }
    }
    const out: SourceRow[] = [];
    let start = 0;
    for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, start)) {
      finish(chunk.subarray(start, lf), out);
      start = lf + 1;
    }
    const rest = chunk.subarray(start);
    pending += rest.length;
    if (pending > maxRowBytes + 1) {
      skipping = true;
      pieces = [];
    } else if (rest.length > 0) pieces.push(Buffer.from(rest));
    if (out.length > 0) yield out;
  }
  const out: SourceRow[] = [];
  if (pending > 0 || pieces.length > 0) finish(Buffer.alloc(0), out);
  if (out.length > 0) yield out;
}

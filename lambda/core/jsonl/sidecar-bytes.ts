/**
 * Row-sidecar lines read as bytes, for Collect's join: a line in the shape Prepare writes
 * (`{"recordId":"…","row":N,"cells":["…",…]}`, valid UTF-8, no backslash, no control character) gives
 * its cells' JSON text and CSV cell without decoding, parsing or serialising them; any other line is
 * parsed as text ({@link parseSidecarLine}), so both ways read the same values.
 */
import { isUtf8 } from 'node:buffer';
import { parseSidecarLine, type SidecarRow, sidecarRecordId } from './sidecar';

/** Where a row's cells are in its sidecar line, and which need CSV quotes (they hold a comma). */
export interface SpelledCells {
  readonly line: Buffer;
  /** Each cell's JSON string, quotes included: `line.subarray(starts[i], ends[i])`. */
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly quoted: readonly boolean[];
}

/** A sidecar row read from bytes; `cells` are decoded when first asked for. */
export interface SpelledRow extends SidecarRow {
  /** Present when the cells can be copied as bytes. */
  readonly spelled?: SpelledCells;
}

const PREFIX = Buffer.from('{"recordId":"');
const ROW = Buffer.from('","row":');
const CELLS = Buffer.from(',"cells":[');
const QUOTE = 0x22;
const COMMA = 0x2c;
/** First characters a spreadsheet reads as a formula (tab and carriage return come escaped). */
const FORMULA = new Set([0x3d, 0x2b, 0x2d, 0x40]);

/** Parses one row-sidecar line given as bytes (or text). */
export function parseSidecarBytes(line: Buffer | string): SpelledRow | undefined {
  if (typeof line === 'string') return parseSidecarLine(line);
  return spelledRow(line) ?? parseSidecarLine(line.toString('utf8'));
}

/**
 * The recordId of a row-sidecar line given as bytes (or text), read without the cells when the line
 * starts as Prepare writes it.
 */
export function sidecarBytesRecordId(line: Buffer | string): string | undefined {
  if (typeof line === 'string') return sidecarRecordId(line);
  if (startsAt(line, PREFIX, 0)) {
    const end = line.indexOf(QUOTE, PREFIX.length);
    const backslash = line.indexOf(0x5c, PREFIX.length);
    if (end > 0 && (backslash < 0 || backslash > end)) return line.toString('utf8', PREFIX.length, end);
  }
  return parseSidecarLine(line.toString('utf8'))?.recordId;
}

function spelledRow(line: Buffer): SpelledRow | undefined {
  if (!startsAt(line, PREFIX, 0)) return undefined;
  if (line.indexOf(0x5c) >= 0 || hasControl(line) || !isUtf8(line)) return undefined;
  const idEnd = line.indexOf(QUOTE, PREFIX.length);
  if (idEnd < 0 || !startsAt(line, ROW, idEnd)) return undefined;
  let i = idEnd + ROW.length;
  const digits = i;
  if (line[i]! < 0x31 || line[i]! > 0x39) return undefined;
  while (line[i]! >= 0x30 && line[i]! <= 0x39) i++;
  if (i - digits > 15 || !startsAt(line, CELLS, i)) return undefined;
  const row = Number(line.toString('latin1', digits, i));
  i += CELLS.length;
  const starts: number[] = [];
  const ends: number[] = [];
  const quoted: boolean[] = [];
  if (line[i] === 0x5d) i++;
  else {
    for (;;) {
      if (line[i] !== QUOTE) return undefined;
      const end = line.indexOf(QUOTE, i + 1) + 1;
      if (end === 0 || FORMULA.has(line[i + 1]!)) return undefined;
      const comma = line.indexOf(COMMA, i + 1);
      starts.push(i);
      ends.push(end);
      quoted.push(comma >= 0 && comma < end);
      i = end + 1;
      if (line[end] === 0x5d) break;
      if (line[end] !== COMMA) return undefined;
    }
  }
  if (line[i] !== 0x7d || i + 1 !== line.length) return undefined;
  const recordId = line.toString('utf8', PREFIX.length, idEnd);
  const spelled = { line, starts, ends, quoted };
  return new BytesRow(recordId, row, spelled);
}

/** True when `bytes` are in `line` at `at`. */
function startsAt(line: Buffer, bytes: Buffer, at: number): boolean {
  return (
    at + bytes.length <= line.length && line.compare(bytes, 0, bytes.length, at, at + bytes.length) === 0
  );
}

/** True when a byte below 0x20 (invalid in JSON strings) is in the line. */
function hasControl(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) if (line[i]! < 0x20) return true;
  return false;
}

class BytesRow implements SpelledRow {
  private decoded: string[] | undefined;

  constructor(
    readonly recordId: string,
    readonly row: number,
    readonly spelled: SpelledCells,
  ) {}

  get cells(): readonly string[] {
    const { line, starts, ends } = this.spelled;
    this.decoded ??= starts.map((start, i) => line.toString('utf8', start + 1, ends[i]! - 1));
    return this.decoded;
  }
}

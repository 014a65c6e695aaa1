/**
 * A streaming, byte-level CSV parser (RFC 4180 with the leniencies people rely on). It works on raw
 * UTF-8 bytes, decodes each cell once, and keeps no more than one partial row between chunks, so memory
 * does not grow with the file. Behaviour:
 * - delimiter `,`, quote `"`, a doubled quote inside a quoted cell is one quote;
 * - CRLF, LF and CR end a row (also mixed); inside quotes they are kept as they are;
 * - a line with no bytes at all is skipped; any other line is a row;
 * - a quote inside an unquoted cell is kept as a literal character;
 * - text after a closing quote (other than `,` or a line end) is an `InvalidCsvError` with its line;
 * - a quote still open at the end of the file is an `InvalidCsvError` naming the line it opened on;
 * - a row larger than `maxRowBytes` is returned with `tooLarge: true` and no cells (never buffered).
 */
import { InvalidCsvError } from '../contract/errors';

/**
 * One parsed row, without a Buffer per cell: cell `i` is `data[bounds[2i], bounds[2i+1])`; when
 * `bounds[2i+1]` is negative it is `~end` and the cell's quotes are still doubled there (`""` is one
 * quote); when `bounds[2i]` is negative (`-(k + 1)`) the cell is `owned[k]` (a cell that spans chunks).
 * Read cells with {@link cellBytes} / {@link cellStrings}. `line` is the physical line the row starts on.
 */
export interface RawRow {
  data: Buffer;
  bounds: number[];
  owned: Buffer[];
  line: number;
  /** Bytes the row occupies in the file, terminator excluded. */
  bytes: number;
  tooLarge: boolean;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

enum State {
  RowStart,
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
  AfterQuote,
  AfterCr,
}

/**
 * Incremental parser: feed chunks with {@link CsvParser.push}, then call {@link CsvParser.end}.
 *
 * @example
 * const parser = new CsvParser(1 << 20);
 * const rows: RawRow[] = [];
 * parser.push(Buffer.from('a,b\n1,"x, y"\n'), rows);
 * parser.end(rows); // cellStrings(rows[1]) = ['1', 'x, y']
 */
export class CsvParser {
  private state: State = State.RowStart;
  private line = 1;
  private rowLine = 1;
  private quoteLine = 1;
  private bounds: number[] = [];
  private owned: Buffer[] = NONE;
  private chunk: Buffer = EMPTY;
  private pieces: Buffer[] = [];
  /** The quoted cell's bytes from `seg` on hold doubled quotes (collapsed when copied, kept otherwise). */
  private doubled = false;
  private carried = 0;
  private rowBytes = 0;
  private tooLarge = false;
  private prevCr = false;
  private nextLf = -1;
  private nextCr = -1;

  constructor(private readonly maxRowBytes: number) {}

  /** Parses `chunk` and appends every row it completes to `out`. */
  push(chunk: Buffer, out: RawRow[]): void {
    const n = chunk.length;
    let i = 0;
    let seg = 0;
    let rowStart = 0;
    this.chunk = chunk;
    this.nextLf = -1;
    this.nextCr = -1;
    while (i < n) {
      switch (this.state) {
        case State.AfterCr:
          if (chunk[i] === LF) i++;
          this.state = State.RowStart;
          break;
        case State.RowStart: {
          const c = chunk[i]!;
          if (c === LF || c === CR) {
            this.line++;
            i++;
            if (c === CR) this.state = State.AfterCr;
            break;
          }
          this.rowLine = this.line;
          this.rowBytes = 0;
          this.carried = 0;
          rowStart = i;
          this.state = State.FieldStart;
          break;
        }
        case State.FieldStart: {
          const c = chunk[i]!;
          if (c === QUOTE) {
            this.state = State.Quoted;
            this.quoteLine = this.line;
            this.prevCr = false;
            i++;
            seg = i;
          } else if (c === COMMA) {
            this.take(chunk, i, i);
            i++;
          } else if (c === LF || c === CR) {
            this.take(chunk, i, i);
            i = this.endRow(chunk, i, rowStart, out);
          } else {
            this.state = State.Unquoted;
            seg = i;
          }
          break;
        }
        case State.Unquoted: {
          let j = i;
          while (j < n) {
            const c = chunk[j]!;
            if (c === COMMA || c === LF || c === CR) break;
            j++;
          }
          if (j === n) {
            this.keep(chunk, seg, n);
            i = n;
            break;
          }
          this.take(chunk, seg, j);
          if (chunk[j] === COMMA) {
            this.state = State.FieldStart;
            i = j + 1;
          } else {
            i = this.endRow(chunk, j, rowStart, out);
          }
          break;
        }
        case State.Quoted: {
          const q = chunk.indexOf(QUOTE, i);
          const j = q < 0 ? n : q;
          this.countLines(chunk, i, j);
          if (j === n) {
            this.keep(chunk, seg, n);
            i = n;
            break;
          }
          if (j + 1 === n) {
            this.keep(chunk, seg, j);
            this.state = State.QuoteInQuoted;
            i = n;
          } else if (chunk[j + 1] === QUOTE) {
            this.doubled = true;
            this.prevCr = false;
            i = j + 2;
            // The chunk ends right after the pair: keep the cell's bytes so far, as when it ends inside.
            if (i === n) this.keep(chunk, seg, n);
          } else {
            this.take(chunk, seg, j);
            this.state = State.AfterQuote;
            i = j + 1;
          }
          break;
        }
        case State.QuoteInQuoted: {
          if (chunk[i] === QUOTE) {
            this.keepQuote();
            this.prevCr = false;
            i++;
            seg = i;
            this.state = State.Quoted;
          } else {
            this.take(chunk, i, i);
            this.state = State.AfterQuote;
          }
          break;
        }
        case State.AfterQuote: {
          const c = chunk[i]!;
          if (c === COMMA) {
            this.state = State.FieldStart;
            i++;
          } else if (c === LF || c === CR) {
            i = this.endRow(chunk, i, rowStart, out);
          } else {
            throw new InvalidCsvError(
              `Unexpected character after a closing quote on line ${this.line}: a quoted cell must be followed ` +
                'by a comma or a line end (write a quote inside a quoted cell as "").',
            );
          }
          break;
        }
      }
    }
    if (this.state !== State.RowStart && this.state !== State.AfterCr) {
      this.rowBytes += n - rowStart;
      this.carried = this.rowBytes;
      this.checkSize();
      this.own(chunk);
    }
  }

  /** Completes the last row (a file need not end with a line break) and checks no quote is left open. */
  end(out: RawRow[]): void {
    this.chunk = EMPTY;
    switch (this.state) {
      case State.Quoted:
        throw new InvalidCsvError(
          `Unterminated quote: the quoted cell that opens on line ${this.quoteLine} is never closed.`,
        );
      case State.QuoteInQuoted:
      case State.Unquoted:
        this.take(EMPTY, 0, 0);
        this.emit(out);
        break;
      case State.FieldStart:
        this.take(EMPTY, 0, 0);
        this.emit(out);
        break;
      case State.AfterQuote:
        this.emit(out);
        break;
      default:
        break;
    }
    this.state = State.RowStart;
  }

  private endRow(chunk: Buffer, at: number, rowStart: number, out: RawRow[]): number {
    this.rowBytes = this.carried + (at - rowStart);
    this.checkSize();
    this.emit(out);
    this.line++;
    if (chunk[at] === CR) {
      this.state = State.AfterCr;
    } else {
      this.state = State.RowStart;
    }
    return at + 1;
  }

  private emit(out: RawRow[]): void {
    out.push({
      data: this.chunk,
      bounds: this.tooLarge ? [] : this.bounds,
      owned: this.tooLarge ? NONE : this.owned,
      line: this.rowLine,
      bytes: this.rowBytes,
      tooLarge: this.tooLarge,
    });
    this.bounds = [];
    this.owned = NONE;
    this.pieces = [];
    this.tooLarge = false;
    this.rowBytes = 0;
    this.carried = 0;
  }

  private checkSize(): void {
    if (this.rowBytes > this.maxRowBytes && !this.tooLarge) {
      this.tooLarge = true;
      this.bounds = [];
      this.owned = NONE;
      this.pieces = [];
    }
  }

  private countLines(chunk: Buffer, from: number, to: number): void {
    const n = chunk.length;
    let lines = 0;
    if (this.nextLf < from) this.nextLf = indexOr(chunk, LF, from, n);
    while (this.nextLf < to) {
      lines++;
      this.nextLf = indexOr(chunk, LF, this.nextLf + 1, n);
    }
    if (this.nextCr < from) this.nextCr = indexOr(chunk, CR, from, n);
    while (this.nextCr < to) {
      if (chunk[this.nextCr + 1] !== LF) lines++;
      this.nextCr = indexOr(chunk, CR, this.nextCr + 1, n);
    }
    if (from === 0 && this.prevCr && chunk[0] === LF) lines--;
    this.prevCr = to === n && to > from && chunk[to - 1] === CR;
    this.line += lines;
  }

  private addOwned(value: Buffer): void {
    if (this.tooLarge) return;
    if (this.owned === NONE) this.owned = [];
    this.owned.push(value);
    this.bounds.push(-this.owned.length, 0);
  }

  /** A row continues into the next chunk: its finished cells get their own views (or copies) of this chunk. */
  private own(chunk: Buffer): void {
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i += 2) {
      if (bounds[i]! < 0) continue;
      if (this.owned === NONE) this.owned = [];
      const end = bounds[i + 1]!;
      this.owned.push(end < 0 ? collapseQuotes(chunk, bounds[i]!, ~end) : chunk.subarray(bounds[i]!, end));
      bounds[i] = -this.owned.length;
      bounds[i + 1] = 0;
    }
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    if (!this.tooLarge && to > from) this.pieces.push(this.segment(chunk, from, to));
    this.doubled = false;
  }

  /** `chunk[from, to)` of the cell being read, its doubled quotes collapsed. */
  private segment(chunk: Buffer, from: number, to: number): Buffer {
    return this.doubled ? collapseQuotes(chunk, from, to) : chunk.subarray(from, to);
  }

  private keepQuote(): void {
    if (!this.tooLarge) this.pieces.push(QUOTE_BYTE);
  }

  private take(chunk: Buffer, from: number, to: number): void {
    if (this.tooLarge) {
      this.pieces = [];
      this.doubled = false;
      return;
    }
    if (this.pieces.length === 0) {
      this.bounds.push(from, this.doubled ? ~to : to);
      this.doubled = false;
      return;
    }
    this.keep(chunk, from, to);
    this.addOwned(this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces));
    this.pieces = [];
  }
}

/** A copy of `bytes[from, to)` with each `""` made one `"`. */
function collapseQuotes(bytes: Buffer, from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe(to - from);
  let size = 0;
  let at = from;
  for (let q = bytes.indexOf(QUOTE, at); q >= 0 && q < to; q = bytes.indexOf(QUOTE, at)) {
    size += bytes.copy(out, size, at, q + 1);
    at = q + 2;
  }
  size += bytes.copy(out, size, at, to);
  return out.subarray(0, size);
}

function indexOr(chunk: Buffer, byte: number, from: number, n: number): number {
  const at = from < n ? chunk.indexOf(byte, from) : -1;
  return at < 0 ? n : at;
}

const QUOTE_BYTE = Buffer.from('"');
const EMPTY = Buffer.alloc(0);
const NONE: Buffer[] = [];

/** The number of cells in a row. */
export function cellCount(row: RawRow): number {
  return row.bounds.length >> 1;
}

/** Cell `i`'s bytes (a view; a copy when its quotes are still doubled in the chunk). */
export function cellBytes(row: RawRow, i: number): Buffer {
  const start = row.bounds[2 * i]!;
  if (start < 0) return row.owned[-start - 1]!;
  const end = row.bounds[2 * i + 1]!;
  return end < 0 ? collapseQuotes(row.data, start, ~end) : row.data.subarray(start, end);
}

/** A row's cells as strings. */
export function cellStrings(row: RawRow): string[] {
  return Array.from({ length: cellCount(row) }, (_, i) => cellBytes(row, i).toString('utf8'));
}

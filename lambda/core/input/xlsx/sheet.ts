/**
 * A worksheet's rows, streamed from its XML: each cell's shown value, rows as Excel numbers them.
 * Rules (docs/analyst.md): the first row with a non-empty cell is the header and its last non-empty cell
 * sets the width; later rows with no non-empty cell are skipped; missing and empty cells are empty; a
 * value right of the header's width makes the row longer than the header (rejected as ROW_COLUMN_COUNT);
 * hidden rows and columns are read like visible ones; a merged range's value is in its top-left cell,
 * the others are empty (as the file stores them).
 */
import type { Readable } from 'node:stream';
import { rowOfStrings } from '../row';
import type { SourceRow } from '../source';
import { compileFormat, type NumberFormat } from './format-code';
import { formatNumber } from './numfmt';
import type { SharedStrings } from './shared-strings';
import { type Attributes, parseXmlStream, unescapeOoxml } from './xml';

/** What cell values need besides the sheet. */
export interface SheetContext {
  readonly strings: SharedStrings;
  /** Format codes by style index (styles.ts). */
  readonly formats: readonly string[];
  readonly date1904: boolean;
  readonly maxRowBytes: number;
}

/** Column index (0-based) of a cell reference such as `AB12`. */
export function columnIndex(ref: string): number {
  let index = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) index = index * 26 + (c - 64);
    else if (c >= 97 && c <= 122) index = index * 26 + (c - 96);
    else break;
  }
  return index - 1;
}

/** The sheet reader's state between XML events. */
class SheetRows {
  private readonly compiled = new Map<number, NumberFormat>();
  private rowNumber = 0;
  private cells: string[] = [];
  private last = -1;
  private column = 0;
  private type = 'n';
  private style = 0;
  private value = '';
  private inline = '';
  private capture: 'v' | 't' | undefined;
  private inInline = false;
  private phonetic = 0;
  private width = -1;
  out: SourceRow[] = [];

  constructor(private readonly context: SheetContext) {}

  open(name: string, a: Attributes): void {
    switch (name) {
      case 'row':
        this.rowNumber = a.r === undefined ? this.rowNumber + 1 : Number(a.r);
        this.cells = [];
        this.last = -1;
        this.column = 0;
        break;
      case 'c':
        this.column = a.r === undefined ? this.column : columnIndex(a.r);
        this.type = a.t ?? 'n';
        this.style = a.s === undefined ? 0 : Number(a.s);
        this.value = '';
        this.inline = '';
        break;
      case 'v':
        this.capture = 'v';
        break;
      case 'is':
        this.inInline = true;
        break;
      case 'rPh':
        this.phonetic++;
        break;
      case 't':
        if (this.inInline && this.phonetic === 0) this.capture = 't';
        break;
    }
  }

  text(text: string): void {
    if (this.capture === 'v') this.value += text;
    else if (this.capture === 't') this.inline += text;
  }

  close(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.capture = undefined;
        break;
      case 'rPh':
        this.phonetic--;
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'c': {
        const shown = this.shown();
        if (shown !== '') {
          this.cells[this.column] = shown;
          if (this.column > this.last) this.last = this.column;
        }
        this.column++;
        break;
      }
      case 'row':
        this.endRow();
        break;
    }
  }

  private shown(): string {
    const { value } = this;
    switch (this.type) {
      case 's': {
        if (value === '') return '';
        return this.context.strings.get(Number(value)) ?? '';
      }
      case 'inlineStr':
        return unescapeOoxml(this.inline);
      case 'str':
        return unescapeOoxml(value);
      case 'b':
        return value === '' ? '' : value === '1' || value === 'true' ? 'TRUE' : 'FALSE';
      case 'e':
      case 'd':
        return value;
      default: {
        if (value === '') return '';
        const number = Number(value);
        if (Number.isNaN(number)) return value;
        return formatNumber(number, this.format(this.style), this.context.date1904);
      }
    }
  }

  private format(style: number): NumberFormat {
    let format = this.compiled.get(style);
    if (format === undefined) {
      format = compileFormat(this.context.formats[style] ?? 'General');
      this.compiled.set(style, format);
    }
    return format;
  }

  private endRow(): void {
    if (this.last < 0) return;
    const { cells } = this;
    if (this.width < 0) this.width = this.last + 1;
    const length = Math.max(this.width, this.last + 1);
    const full = new Array<string>(length);
    for (let i = 0; i < length; i++) full[i] = cells[i] ?? '';
    this.out.push(rowOfStrings(full, this.rowNumber, this.context.maxRowBytes));
  }
}

/**
 * Streams the rows of one worksheet part, one batch per inflated chunk; the first row is the header.
 *
 * @example for await (const rows of readSheet('xl/worksheets/sheet1.xml', stream, context)) ...
 */
export async function* readSheet(
  part: string,
  stream: Readable,
  context: SheetContext,
): AsyncGenerator<SourceRow[]> {
  const rows = new SheetRows(context);
  const handlers = {
    open: (name: string, a: Attributes) => rows.open(name, a),
    text: (text: string) => rows.text(text),
    close: (name: string) => rows.close(name),
  };
  for await (const _ of parseXmlStream(part, stream, handlers)) {
    if (rows.out.length > 0) {
      yield rows.out;
      rows.out = [];
    }
  }
}

/** Rows of the non-CSV readers in the CSV parser's {@link RawRow} shape, so Prepare encodes them alike. */
import type { RawRow } from '../csv/parser';

/**
 * A row of cell strings as one {@link RawRow} (`line` is the reader's locator number). A row whose cells
 * add up to more than `maxRowBytes` UTF-8 bytes comes back `tooLarge`, without cells, as the CSV parser
 * returns it.
 *
 * @example rowOfStrings(['a', 'b'], 3, 1 << 20).bounds // [0, 1, 1, 2]
 */
export function rowOfStrings(cells: readonly string[], line: number, maxRowBytes: number): RawRow {
  let total = 0;
  const bounds = new Array<number>(cells.length * 2);
  for (let i = 0; i < cells.length; i++) {
    const size = Buffer.byteLength(cells[i]!);
    bounds[2 * i] = total;
    total += size;
    bounds[2 * i + 1] = total;
  }
  if (total > maxRowBytes) {
    return { data: EMPTY, bounds: [], owned: [], line, bytes: total, tooLarge: true };
  }
  const data = Buffer.allocUnsafe(total);
  for (let i = 0; i < cells.length; i++) data.write(cells[i]!, bounds[2 * i]!, 'utf8');
  return { data, bounds, owned: [], line, bytes: total, tooLarge: false };
}

const EMPTY = Buffer.alloc(0);

/** A minimal RFC 4180 CSV line writer (quotes only the cells that need it). */
import { neutraliseCell } from './csv-safe';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV line, `\r\n`-terminated, every cell neutralised against spreadsheet formulas.
 *
 * @example csvLine(['a', 'b,c', '=1+1']) // 'a,"b,c",\'=1+1\r\n'
 */
export function csvLine(cells: readonly string[]): string {
  return `${csvCells(cells)}\r\n`;
}

/** Cells joined by commas, neutralised and quoted as needed, without a line ending. */
export function csvCells(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i]!);
  }
  return line;
}

/** One cell, neutralised and quoted as needed. */
export function csvCell(value: string): string {
  const cell = neutraliseCell(value);
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

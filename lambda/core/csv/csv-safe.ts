/**
 * Spreadsheet formula neutralisation (CSV injection). A cell that Excel, LibreOffice or Google Sheets
 * would run as a formula (first character `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with a
 * single quote, which spreadsheets display as text. A plain number such as `-12.5` or `+3` is left
 * alone (a spreadsheet reads it as that number, nothing runs). Applied to the CSV results files only:
 * results.jsonl keeps the exact text.
 */

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True when a spreadsheet would treat `cell` as a formula. */
export function looksLikeFormula(cell: string): boolean {
  return cell.length > 0 && FORMULA_START.has(cell[0]!) && !PLAIN_NUMBER.test(cell);
}

/**
 * The cell with a leading `'` when it would start a formula; otherwise the cell unchanged.
 *
 * @example neutraliseCell('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 */
export function neutraliseCell(cell: string): string {
  return looksLikeFormula(cell) ? `'${cell}` : cell;
}

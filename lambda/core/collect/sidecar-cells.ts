/**
 * A row-sidecar line's cells as the JSON text `JSON.stringify` would write for each, read straight from
 * the line, so results.jsonl can copy them instead of serialising every input cell a second time.
 * Only for lines shaped the way Prepare writes them (`{"recordId":…,"row":…,"line":…,"cells":[…]}`),
 * and only when the text is already in `JSON.stringify`'s spelling; anything else gets `undefined` and
 * the caller serialises the parsed cells as before (the output is the same either way).
 */

/** What Prepare writes before the cells: a plain recordId, the row and (since issue 9) the line. */
const PREFIX = /^\{"recordId":"[A-Za-z0-9_-]*","row":\d+(?:,"line":\d+)?,"cells":\[$/;
const CELLS = '"cells":[';

/**
 * The cells' JSON texts (quotes included), or `undefined` when the line is not in Prepare's shape or a
 * cell is not spelled as `JSON.stringify` spells it. `count` is the number of cells the caller parsed
 * from the same line: the line must be valid JSON with exactly that many string cells.
 *
 * @example canonicalCellsJson('{"recordId":"r1","row":1,"line":2,"cells":["a","b\\"c"]}', 2) // ['"a"', '"b\\"c"']
 */
export function canonicalCellsJson(line: string, count: number): string[] | undefined {
  if (count === 0 || !line.endsWith('"]}')) return undefined;
  const open = line.indexOf(CELLS);
  if (open < 0 || !PREFIX.test(line.slice(0, open + CELLS.length))) return undefined;
  const inner = line.slice(open + CELLS.length, line.length - 2);
  // Escapes other than \" \\ \b \f \n \r \t may be spelled otherwise than JSON.stringify spells them,
  // and a lone surrogate written as a literal character would come back escaped.
  if (inner.includes('\\u') || inner.includes('\\/') || !isWellFormed(inner)) return undefined;
  const cells: string[] = [];
  let start = 0;
  let from = 1;
  while (cells.length < count - 1) {
    const at = inner.indexOf('","', from);
    if (at < 0) return undefined;
    if (escaped(inner, at, start)) {
      from = at + 1;
      continue;
    }
    cells.push(inner.slice(start, at + 1));
    start = at + 2;
    from = start + 1;
  }
  cells.push(inner.slice(start));
  return cells;
}

/** True when the quote at `at` is escaped: preceded by an odd number of backslashes (after `start`). */
function escaped(text: string, at: number, start: number): boolean {
  let slashes = 0;
  for (let k = at - 1; k > start && text.charCodeAt(k) === 0x5c; k--) slashes++;
  return slashes % 2 === 1;
}

/** `String.prototype.isWellFormed` (Node 20; constant time on strings without two-byte characters). */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

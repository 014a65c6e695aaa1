/**
 * How error messages speak of a file's header without quoting it. A file without a header row has its
 * first row read as the header, and these messages reach the execution history, the logs and the failure
 * notification, where row text must never appear (docs/design.md, test-matrix row 45). So a message names
 * the columns the pipeline wants, counts the header's and points at them by position; it quotes a header
 * name only when that name is nearly one the pipeline wants (other case or spacing, an invisible
 * character, a typo of a letter or two): a name that close to the pipeline's own is not row text.
 */

/** Characters a person cannot see in a column name: byte-order marks, zero-width and format characters. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/** Letters a header name may differ by from a wanted one and still be named in a message. */
const MAX_TYPOS = 2;

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A column name as a message shows it: quoted, with each invisible character written as `<U+XXXX>`.
 *
 * @example showColumn('\ufeffContext') // '"<U+FEFF>Context"'
 */
export function showColumn(name: string): string {
  return JSON.stringify(name).replace(INVISIBLE, (char) => `<${codePoint(char)}>`);
}

/** `name` without invisible characters, case, or differences of spaces, underscores and hyphens. */
function folded(name: string): string {
  return name
    .replace(INVISIBLE, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** Whether `a` becomes `b` in at most `max` single-character insertions, deletions or substitutions. */
function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1));
    }
    if (Math.min(...current) > max) return false;
    previous = current;
  }
  return previous[b.length]! <= max;
}

/** The header name (and its 1-based column) that is nearly `wanted` without being it, if one is. */
function nearColumn(wanted: string, header: readonly string[]): { name: string; column: number } | undefined {
  const target = folded(wanted);
  // A typo is only trusted in a name long enough that a couple of letters leave it recognisable.
  const typos = target.length >= 2 * MAX_TYPOS + 1 ? MAX_TYPOS : 0;
  const index = header.findIndex(
    (name) => name !== wanted && name !== '' && withinEdits(folded(name), target, typos),
  );
  return index < 0 ? undefined : { name: header[index]!, column: index + 1 };
}

/** A sentence for the first wanted name the header has only nearly, or `''`. */
function nearHint(wanted: readonly string[], header: readonly string[]): string {
  for (const name of wanted) {
    const near = nearColumn(name, header);
    if (near === undefined) continue;
    const invisible = near.name.match(INVISIBLE);
    if (invisible !== null && near.name.replace(INVISIBLE, '') === name) {
      const chars = [...new Set(invisible)].map(codePoint).join(', ');
      const bom = near.name.startsWith('\ufeff') ? ' (the file starts with a second byte-order mark)' : '';
      return ` The header's column ${showColumn(near.name)} looks like ${JSON.stringify(name)} but holds the invisible character ${chars}${bom}: remove it and upload again.`;
    }
    return ` Column ${near.column} is named ${showColumn(near.name)}: names must match the pipeline's exactly, ${JSON.stringify(name)} here.`;
  }
  return '';
}

/**
 * The message for columns the pipeline needs and the header lacks: `needs` says who needs them (for example
 * `The prompt template needs column(s) "Answer"`). The header is counted, not quoted.
 *
 * @example missingColumnsMessage('The prompt template needs column(s) "Answer"', ['Answer'], ['Context', 'Response'])
 */
export function missingColumnsMessage(
  needs: string,
  missing: readonly string[],
  header: readonly string[],
): string {
  return (
    `${needs}, which the file's header (${header.length} column${header.length === 1 ? '' : 's'}) does not have. ` +
    `Check that the file's first line names its columns, spelled as in the pipeline.${nearHint(missing, header)}`
  );
}

/**
 * The message for a header whose non-empty names repeat, by position: `names` are the header's names.
 *
 * @example repeatedColumnsMessage(['a', 'b', 'a']) // '... columns 1 and 3 have the same name ...'
 */
export function repeatedColumnsMessage(names: readonly string[]): string {
  const columns = new Map<string, number[]>();
  names.forEach((name, i) => {
    if (name !== '') columns.set(name, [...(columns.get(name) ?? []), i + 1]);
  });
  const groups = [...columns.values()]
    .filter((positions) => positions.length > 1)
    .map((positions) => `columns ${positions.slice(0, -1).join(', ')} and ${positions.at(-1)}`);
  return (
    `The header repeats column names: ${groups.join('; ')} have the same name, and each column needs a unique ` +
    "one. Check that the file's first line names its columns."
  );
}

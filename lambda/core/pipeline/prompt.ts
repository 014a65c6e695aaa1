/**
 * Prompt templates: `{{Column name}}` is replaced by that CSV cell, byte for byte. Nothing else in the
 * template is special (single braces, `%`, `$` and backslashes are plain text), so a cell can never
 * break the template the way `str.format` does.
 */
import { InvalidPipelineError, SchemaMismatchError } from '../contract/errors';

/** A template compiled against a header: literal text around column indexes. */
export interface CompiledTemplate {
  /** `literals.length === columns.length + 1`. */
  readonly literals: readonly string[];
  readonly columns: readonly number[];
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/**
 * The column names a template uses, in order of first use. Throws `InvalidPipelineError` for an empty
 * `{{}}` or an unclosed `{{`.
 *
 * @example templateColumns('Client: {{Context}}') // ['Context']
 */
export function templateColumns(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (name === '') throw new InvalidPipelineError('The prompt template has an empty placeholder {{}}.');
    if (!names.includes(name)) names.push(name);
  }
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('{{')) {
    throw new InvalidPipelineError(
      `The prompt template has a "{{" that is not closed by "}}" (near ${JSON.stringify(rest.slice(rest.indexOf('{{'), rest.indexOf('{{') + 30))}).`,
    );
  }
  return names;
}

/**
 * Compiles `template` against the CSV header. Throws `SchemaMismatchError` listing the missing and the
 * available columns when the template names a column the header lacks.
 *
 * @example compileTemplate('Q: {{Context}}', ['Context', 'Response'])
 */
export function compileTemplate(template: string, header: readonly string[]): CompiledTemplate {
  const missing = templateColumns(template).filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new SchemaMismatchError(
      `The prompt template needs column(s) ${missing.map((n) => JSON.stringify(n)).join(', ')} that the CSV ` +
        `header lacks. Available columns: ${header.map(showColumn).join(', ')}.${invisibleHint(missing, header)}`,
    );
  }
  const literals: string[] = [];
  const columns: number[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    columns.push(header.indexOf(match[1]!));
    last = match.index + match[0].length;
  }
  literals.push(template.slice(last));
  return { literals, columns };
}

/** Characters a person cannot see in a column name: byte-order marks, zero-width and format characters. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

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

/**
 * A sentence for a wanted column that the header has only with invisible characters added (a second
 * byte-order mark, a zero-width space), or `''`.
 */
export function invisibleHint(wanted: readonly string[], header: readonly string[]): string {
  for (const name of wanted) {
    const near = header.find((column) => column !== name && column.replace(INVISIBLE, '') === name);
    if (near !== undefined) {
      const chars = [...new Set(near.match(INVISIBLE) ?? [])].map(codePoint).join(', ');
      const bom = near.startsWith('\ufeff') ? ' (the file starts with a second byte-order mark)' : '';
      return ` The header's column ${showColumn(near)} looks like ${JSON.stringify(name)} but holds the invisible character ${chars}${bom}: remove it and upload again.`;
    }
  }
  return '';
}

/**
 * The prompt for one row: the template's text with each placeholder replaced by its cell, passed through
 * `cell` (the family's control-token rule, see models/input/control-tokens.ts); the template's own text
 * is never changed.
 */
export function renderTemplate(
  compiled: CompiledTemplate,
  cells: readonly string[],
  cell: (value: string) => string = (value) => value,
): string {
  const { literals, columns } = compiled;
  let out = literals[0]!;
  for (let i = 0; i < columns.length; i++) out += cell(cells[columns[i]!]!) + literals[i + 1]!;
  return out;
}

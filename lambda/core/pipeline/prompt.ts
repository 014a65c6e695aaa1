/**
 * Prompt templates: `{{Column name}}` is replaced by that CSV cell, byte for byte. Nothing else in the
 * template is special (single braces, `%`, `$` and backslashes are plain text), so a cell can never
 * break the template the way `str.format` does.
 */
import { InvalidPipelineError, SchemaMismatchError } from '../contract/errors';
import { missingColumnsMessage } from './column-names';

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
 * Compiles `template` against the CSV header. Throws `SchemaMismatchError` naming the missing columns
 * (column-names.ts: the header itself is not quoted) when the template names a column the header lacks.
 *
 * @example compileTemplate('Q: {{Context}}', ['Context', 'Response'])
 */
export function compileTemplate(template: string, header: readonly string[]): CompiledTemplate {
  const missing = templateColumns(template).filter((name) => !header.includes(name));
  if (missing.length > 0) {
    const names = missing.map((n) => JSON.stringify(n)).join(', ');
    throw new SchemaMismatchError(
      missingColumnsMessage(`The prompt template needs column(s) ${names}`, missing, header),
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

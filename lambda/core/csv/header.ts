/** Checks on the header row that explain a whole-file problem better than a row-by-row failure would. */
import {
  InvalidCsvError,
  InvalidEncodingError,
  SchemaMismatchError,
  UnexpectedDelimiterError,
} from '../contract/errors';
import { repeatedColumnsMessage } from '../pipeline/column-names';
import { cellStrings, type RawRow } from './parser';

const OTHER_DELIMITERS: ReadonlyArray<[string, string]> = [
  [';', 'semicolons (;)'],
  ['\t', 'tabs'],
  ['|', 'pipes (|)'],
];

/**
 * Validates the header row and returns its column names. Empty names are allowed (a trailing comma on
 * every line makes one) but cannot be used in a template; repeated non-empty names are an error.
 *
 * @example checkHeader({ cells: [Buffer.from('Context')], line: 1, bytes: 7, tooLarge: false }) // ['Context']
 */
export function checkHeader(row: RawRow): string[] {
  if (row.tooLarge) {
    throw new InvalidCsvError(`The header on line ${row.line} is larger than the row size limit.`);
  }
  const names = cellStrings(row);
  if (names.some((name) => name.includes('\u0000'))) {
    throw new InvalidEncodingError(
      `The header on line ${row.line} contains NUL bytes: the file is probably UTF-16 without a byte-order mark; ` +
        'save it as "CSV UTF-8".',
    );
  }
  // A header with more semicolons (tabs, pipes) than commas is separated by them, even when a name
  // holds a comma (`a;b,c;d`); a single `;` in a comma-separated header's name is just a character.
  const commas = names.length - 1;
  for (const [delimiter, label] of OTHER_DELIMITERS) {
    const count = names.reduce((sum, name) => sum + name.split(delimiter).length - 1, 0);
    if (count > commas) {
      throw new UnexpectedDelimiterError(
        `The header on line ${row.line} is separated by ${label}, not commas. Export the file as ` +
          '"CSV (comma delimited)".',
      );
    }
  }
  return uniqueNames(names);
}

/**
 * Returns `names` when no non-empty name repeats (empty names are allowed: they just cannot be used in a
 * template); throws {@link SchemaMismatchError} giving the repeats' positions otherwise. Every input format's
 * header goes through it.
 */
export function uniqueNames(names: string[]): string[] {
  const named = names.filter((name) => name !== '');
  if (new Set(named).size !== named.length) throw new SchemaMismatchError(repeatedColumnsMessage(names));
  return names;
}

/** The header check of the non-CSV formats: no delimiter or encoding guesses, only repeated names. */

import { SchemaMismatchError } from '../contract/errors';
import { cellStrings, type RawRow } from '../csv/parser';

/**
 * The column names of a workbook's, JSON Lines' or Parquet file's header row. Empty names are allowed
 * (an empty header cell) but cannot be used in a template; a repeated non-empty name is an error.
 *
 * @example columnNames(rowOfStrings(['id', 'question'], 1, 1 << 20)) // ['id', 'question']
 */
export function columnNames(row: RawRow): string[] {
  const names = cellStrings(row);
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of names) {
    if (name === '') continue;
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
  }
  if (repeated.size > 0) {
    throw new SchemaMismatchError(
      `The header repeats column ${[...repeated].map((n) => JSON.stringify(n)).join(', ')}; each column ` +
        `needs a unique name. Found: ${names.map((n) => JSON.stringify(n)).join(', ')}.`,
    );
  }
  return names;
}

/** The header check of the non-CSV formats: no delimiter or encoding guesses, only repeated names. */

import { uniqueNames } from '../csv/header';
import { cellStrings, type RawRow } from '../csv/parser';

/**
 * The column names of a workbook's, JSON Lines' or Parquet file's header row. Empty names are allowed
 * (an empty header cell) but cannot be used in a template; a repeated non-empty name is an error.
 *
 * @example columnNames(rowOfStrings(['id', 'question'], 1, 1 << 20)) // ['id', 'question']
 */
export function columnNames(row: RawRow): string[] {
  return uniqueNames(cellStrings(row));
}

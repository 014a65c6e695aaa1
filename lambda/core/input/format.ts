/**
 * Which reader a file goes to: chosen by its name's extension, in any letter case. The reader then
 * checks that the bytes are what the extension says (see sniff.ts).
 */

/** The input formats Prepare reads. */
export type InputFormat = 'csv' | 'xlsx' | 'xls' | 'jsonl' | 'parquet';

/**
 * Extensions that start a run, with their format. `.xlsm` is read as a workbook (its macros are never
 * run); `.xls` is accepted only to fail with `XLS_NOT_SUPPORTED` instead of being ignored.
 */
export const INPUT_EXTENSIONS: Readonly<Record<string, InputFormat>> = {
  '.csv': 'csv',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  '.xls': 'xls',
  '.jsonl': 'jsonl',
  '.parquet': 'parquet',
};

/**
 * The format named by a file name or S3 key's extension (any letter case), or `undefined` for another
 * extension.
 *
 * @example inputFormatOf('inbox/qa/Q3.XLSX') // 'xlsx'
 */
export function inputFormatOf(name: string): InputFormat | undefined {
  const dot = name.lastIndexOf('.');
  if (dot < 0 || name.indexOf('/', dot) >= 0) return undefined;
  return INPUT_EXTENSIONS[name.slice(dot).toLowerCase()];
}

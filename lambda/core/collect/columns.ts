/**
 * The names of the original columns in results.csv and errors.csv. The files add their own columns
 * (`record_id`, `status`, `output`, ...) after the original ones; a header never repeats a name, so a
 * reader by column name always gets the pipeline's `status`, never the analyst's. The rule
 * (docs/analyst.md): an original column named like an added column (`row` included) is written as
 * `input.<name>`; a name that is still taken (an original column already called `input.status`, or a
 * second empty name) gets `_2`, `_3`, ... Cells are never changed, only these header names.
 */

/** The columns results.csv and errors.csv add, besides `output.<field>` in json mode. */
export const ADDED_COLUMNS = [
  'row',
  'record_id',
  'status',
  'output',
  'input_tokens',
  'output_tokens',
  'stop_reason',
  'error_code',
  'error_message',
] as const;

/**
 * The original columns' names as the result files write them.
 *
 * @example originalColumnNames(['id', 'status'], []) // ['id', 'input.status']
 */
export function originalColumnNames(header: readonly string[], fieldColumns: readonly string[]): string[] {
  const reserved = new Set<string>([...ADDED_COLUMNS, ...fieldColumns.map((f) => `output.${f}`)]);
  const taken = new Set<string>(reserved);
  const unique = (name: string) => {
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`;
    taken.add(candidate);
    return candidate;
  };
  const out: string[] = new Array(header.length);
  // Names kept as they are claim their spelling first, so a renamed column never takes one of them.
  header.forEach((name, i) => {
    if (!reserved.has(name)) out[i] = unique(name);
  });
  header.forEach((name, i) => {
    if (reserved.has(name)) out[i] = unique(`input.${name}`);
  });
  return out;
}

/**
 * Generates the dedupe benchmark CSV: bench/prepare-data.ts's rows (Context, Response, ~870 bytes), where
 * every other row repeats one of the last 1,000 distinct rows: 50% of the rows are duplicates, spread
 * over the whole file. Deterministic; cached under bench/.data.
 */
import { cachedCsv, cell, prng, sentence } from './prepare-data';

/** The path of a generated CSV of about `megabytes` MB with 50% duplicate rows, made if missing. */
export function dedupeCsv(megabytes: number): Promise<string> {
  const rand = prng(16);
  const recent: string[] = [];
  return cachedCsv(`duplicates-${megabytes}mb.csv`, megabytes, () => {
    const row = `${cell(sentence(rand, 70))},${cell(sentence(rand, 38))}\n`;
    if (recent.length === 1000) recent[Math.floor(rand() * 1000)] = row;
    else recent.push(row);
    return row + recent[Math.floor(rand() * recent.length)]!;
  });
}

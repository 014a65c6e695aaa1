/**
 * Generates the dedupe benchmark CSV: bench/prepare-data.ts's rows (Context, Response, ~870 bytes), where
 * every other row repeats one of the last 1,000 distinct rows: 50% of the rows are duplicates, spread
 * over the whole file. Deterministic; cached under bench/.data.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

const WORDS = (
  'I feel anxious about work and my sleep is bad lately, the meetings keep piling up and my manager ' +
  'says I seem distracted; we talked about breathing exercises, journaling, boundaries, "worry time", ' +
  'grief, loneliness, panic, burnout, café, naïve, São Paulo, Zürich, 東京, مرحبا, 😊 family friends ' +
  'partner children weekend therapy session progress goals support plan feelings thoughts body'
).split(' ');

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  return out.join(' ');
}

function cell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The path of a generated CSV of about `megabytes` MB with 50% duplicate rows, made if missing. */
export async function dedupeCsv(megabytes: number): Promise<string> {
  const dir = join(import.meta.dirname, '.data');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `duplicates-${megabytes}mb.csv`);
  if (existsSync(path)) return path;
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  const rand = prng(16);
  const recent: string[] = [];
  const target = megabytes * 1_000_000;
  let written = 0;
  let buffer = 'Context,Response\n';
  while (written < target) {
    const row = `${cell(sentence(rand, 70))},${cell(sentence(rand, 38))}\n`;
    if (recent.length === 1000) recent[Math.floor(rand() * 1000)] = row;
    else recent.push(row);
    buffer += row + recent[Math.floor(rand() * recent.length)]!;
    if (buffer.length > 1 << 20) {
      written += Buffer.byteLength(buffer);
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  renameSync(tmp, path);
  return path;
}

/**
 * Generates the benchmark CSV: two columns (Context, Response), ~870 bytes per row, with quoted cells,
 * commas, doubled quotes, newlines and some non-ASCII text. Deterministic; cached under bench/.data.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

const WORDS = (
  'I feel anxious about work and my sleep is bad lately, the meetings keep piling up and my manager ' +
  'says I seem distracted; we talked about breathing exercises, journaling, boundaries, "worry time", ' +
  'grief, loneliness, panic, burnout, café, naïve, São Paulo, Zürich, 東京, مرحبا, 😊 family friends ' +
  'partner children weekend therapy session progress goals support plan feelings thoughts body'
).split(' ');

/** A deterministic pseudo-random generator in [0, 1) (an LCG): the same seed gives the same file. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** `words` words of the bench vocabulary (mixed scripts, punctuation, quotes). */
export function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  return out.join(' ');
}

/** A CSV cell: quoted (quotes doubled) when it holds a quote, comma or line break. */
export function cell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The path of `bench/.data/<name>`, a CSV of about `megabytes` MB written once (then cached): the
 * `Context,Response` header, then what `nextRows` returns, call after call, until the size is reached.
 */
export async function cachedCsv(name: string, megabytes: number, nextRows: () => string): Promise<string> {
  const dir = join(import.meta.dirname, '.data');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  if (existsSync(path)) return path;
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  const target = megabytes * 1_000_000;
  let written = 0;
  let buffer = 'Context,Response\n';
  while (written < target) {
    buffer += nextRows();
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

/** The path of a generated CSV of about `megabytes` MB (~230,000 rows per 200 MB), made if missing. */
export function benchCsv(megabytes: number): Promise<string> {
  const rand = prng(42);
  return cachedCsv(`conversations-${megabytes}mb.csv`, megabytes, () => {
    const context = `${sentence(rand, 70)}${rand() < 0.2 ? `\n${sentence(rand, 20)}` : ''}`;
    const response = sentence(rand, 38);
    return `${cell(context)},${cell(response)}\n`;
  });
}

/** File size in bytes. */
export function sizeOf(path: string): number {
  return statSync(path).size;
}

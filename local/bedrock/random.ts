/** Deterministic pseudo-randomness: hashes of inputs and a seeded generator. */
import { createHash } from 'node:crypto';

/** A 32-bit unsigned hash of the given parts. */
export function hash32(...parts: readonly (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

/** A seeded generator of floats in [0, 1) (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy of `items` (Fisher-Yates driven by `seed`). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  const next = prng(seed);
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of `alphabet` derived from the parts (stable for the same parts). */
export function hashString(length: number, alphabet: string, ...parts: readonly (string | number)[]): string {
  const next = prng(hash32(...parts));
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

/** A fresh 12-character `[a-z0-9]` job id. */
export function newJobId(): string {
  return hashString(12, ALPHABET, Math.random(), Date.now(), process.hrtime.bigint().toString());
}

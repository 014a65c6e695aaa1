/**
 * The machine line every bench prints: CPUs, memory, Node, and a speed figure. The same machine type has
 * run up to twice as slow on one day as on another (bench/RESULTS.md, 2026-12-02), so absolute figures
 * from different days compare only through the speed figure, or through a peer measured in the same run.
 */
import { cpus, totalmem } from 'node:os';

/** Milliseconds to `JSON.parse` and `JSON.stringify` a fixed 1.2 KB document 20,000 times, best of 3. */
function jsonMilliseconds(): number {
  const words = 'I feel anxious about work and cannot sleep well lately what should I try'.split(' ');
  const doc = {
    id: 'r000000001',
    messages: words.map((word, i) => ({ role: 'user', text: word.repeat(i + 8) })),
  };
  const text = JSON.stringify(doc);
  let best = Number.POSITIVE_INFINITY;
  let length = 0;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) length += JSON.stringify(JSON.parse(text)).length;
    best = Math.min(best, performance.now() - started);
  }
  if (length !== 3 * 20_000 * text.length) throw new Error('JSON round trip changed the document');
  return best;
}

/** For example `2 cpus (AMD EPYC), 23.5 GiB, node v20.20.2, speed 112 ms (JSON round trips; lower is faster)`. */
export function machineDescription(): string {
  return (
    `${cpus().length} cpus (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
    `node ${process.version}, speed ${jsonMilliseconds().toFixed(0)} ms (JSON round trips; lower is faster)`
  );
}

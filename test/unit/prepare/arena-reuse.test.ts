import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { fileSinks } from '../../../lambda/core/prepare/file-sink';
import { type MemorySinks, memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { prepare } from '../../../lambda/core/prepare/prepare';
import type { SinkFactory } from '../../../lambda/core/prepare/sink';
import { chunked, testPipeline } from './helpers';

/**
 * About 6 MB of CSV: its shards and sidecars fill several of the encoder's 4 MB slabs, so arenas are
 * handed back and reused while earlier records are still held back or being written. Cells vary per
 * row (quotes, doubled quotes, line breaks, backslashes, multi-byte text) so a reused byte shows.
 */
function bigCsv(): Buffer {
  const rows: string[][] = [['Context', 'Response']];
  const words = ['time "now"', 'café', '東京', 'back\\slash', 'line\nbreak', '😊', 'tab\there', 'plain'];
  for (let i = 0; i < 850; i++) {
    const cell = (salt: number) =>
      Array.from({ length: 700 }, (_, k) => `${words[(i * 7 + k * salt) % words.length]}${i + k}`).join(' ');
    rows.push([cell(3), cell(5)]);
  }
  return Buffer.from(stringify(rows));
}

/** Memory sinks that cannot tell when written bytes are released: the encoder never reuses an arena. */
function withoutRelease(sinks: MemorySinks): SinkFactory {
  return {
    open(key, contentType) {
      const { released: _released, ...rest } = sinks.open(key, contentType);
      return rest;
    },
  };
}

async function runInto(csv: Buffer, sinks: SinkFactory): Promise<void> {
  await prepare(chunked(csv, 1 << 20), {
    pipeline: testPipeline({ minRecordsPerJob: 400, maxRecordsPerJob: 800, dedupe: true }),
    sinks,
    keys: LOCAL_KEYS,
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Bytes written between two samples: a leak of one 4 MB slab per few writes still shows at each. */
const SAMPLE_EVERY = 4 << 20;

/**
 * Sinks like an S3 upload (no `released`) that keep nothing: every {@link SAMPLE_EVERY} bytes written, a
 * full garbage collection, then the process's ArrayBuffer memory is sampled. What is left is what
 * Prepare still holds. (A collection after every write took 25 s of this suite's time.)
 */
function measuringSinks(): { factory: SinkFactory; peakMb: () => number; writtenMb: () => number } {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let peak = 0;
  let written = 0;
  let sampledAt = 0;
  return {
    factory: {
      open: () => ({
        async write(chunk) {
          written += Buffer.byteLength(chunk);
          if (written - sampledAt < SAMPLE_EVERY) return;
          sampledAt = written;
          gc();
          peak = Math.max(peak, process.memoryUsage().arrayBuffers);
        },
        close: async () => undefined,
        abort: async () => undefined,
      }),
    },
    peakMb: () => peak / 2 ** 20,
    writtenMb: () => written / 2 ** 20,
  };
}

describe('arena reuse in the encoder', () => {
  it('keeps memory bounded with sinks that cannot say when bytes are released, as S3 uploads', async () => {
    // The 6 MB file's rows five times over, read in 1 MB chunks: about 140 MB of shards and sidecars,
    // some thirty 4 MB slabs (16 MB held at most now, 152 MB before). Before, the first batches (no sink open yet) started the arena tracking and no
    // later call ended it, so every arena was kept to the end: 2.4 GB for a 1 GB file in the deployed
    // Prepare (bench/RESULTS.md).
    const one = bigCsv();
    const rows = one.subarray(one.indexOf(10) + 1);
    async function* fiveTimes(): AsyncGenerator<Buffer> {
      yield* chunked(one, 1 << 20);
      for (let i = 0; i < 4; i++) yield* chunked(rows, 1 << 20);
    }
    const sinks = measuringSinks();
    const before = process.memoryUsage().arrayBuffers / 2 ** 20;
    await prepare(fiveTimes(), {
      pipeline: testPipeline({ minRecordsPerJob: 100, maxRecordsPerJob: 800 }),
      sinks: sinks.factory,
      keys: LOCAL_KEYS,
    });
    expect(sinks.writtenMb()).toBeGreaterThan(100);
    // A few arenas (the one being filled, the held-back records', a batch's) and one input chunk.
    expect(sinks.peakMb() - before).toBeLessThan(40);
  });

  it('writes the same bytes whether arenas are reused (file and memory sinks) or not', async () => {
    const csv = bigCsv();
    const reference = memorySinks();
    await runInto(csv, withoutRelease(reference));
    const reused = memorySinks();
    await runInto(csv, reused);
    const dir = mkdtempSync(join(tmpdir(), 'arena-reuse-'));
    dirs.push(dir);
    await runInto(csv, fileSinks(dir));

    const shardKeys = [...reference.objects.keys()].filter((k) => k.endsWith('.jsonl'));
    expect(shardKeys.length).toBeGreaterThanOrEqual(6);
    const shardBytes = [...reference.objects.values()].reduce((sum, text) => sum + text.length, 0);
    expect(shardBytes).toBeGreaterThan(12 << 20);
    expect(reused.objects).toEqual(reference.objects);
    for (const [key, text] of reference.objects) expect(readFileSync(join(dir, key), 'utf8')).toBe(text);
    expect(readdirSync(join(dir, 'batch-input')).length).toBe(
      shardKeys.filter((k) => k.startsWith('batch-input/')).length,
    );
    for (const line of reference.objects.get(LOCAL_KEYS.batchInput(1))!.split('\n').filter(Boolean)) {
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });
});

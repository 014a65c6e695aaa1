import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { type ShardLimits, ShardWriter } from '../../../lambda/core/prepare/shards';
import { run, testPipeline } from './helpers';

async function split(sizes: readonly number[], limits: ShardLimits, drainEvery = 7) {
  const sinks = memorySinks();
  const writer = new ShardWriter(sinks, LOCAL_KEYS, limits);
  for (let i = 0; i < sizes.length; i++) {
    const lines = Buffer.from(`${String(i).padStart(sizes[i]! - 1, '0')}\n`);
    const sides = Buffer.from(`${i}\n`);
    writer.add({ lines, lineStart: 0, lineEnd: lines.length, sides, sideStart: 0, sideEnd: sides.length });
    if (i % drainEvery === 0) await writer.drain();
  }
  const shards = await writer.finish();
  return { shards, sinks };
}

describe('ShardWriter', () => {
  it('splits at the record limit and balances the tail so no shard is below the minimum', async () => {
    const limits = { minRecords: 100, maxRecords: 1000, maxBytes: 1e9 };
    const { shards } = await split(Array(2050).fill(10), limits);
    expect(shards.map((s) => s.records)).toEqual([1000, 950, 100]);
    expect((await split(Array(2000).fill(10), limits)).shards.map((s) => s.records)).toEqual([1000, 1000]);
    expect((await split(Array(40).fill(10), limits)).shards.map((s) => s.records)).toEqual([40]);
  });

  it('respects the byte limit', async () => {
    const { shards } = await split(Array(30).fill(100), { minRecords: 2, maxRecords: 1000, maxBytes: 1000 });
    expect(shards.every((s) => s.bytes <= 1000)).toBe(true);
    expect(shards.reduce((n, s) => n + s.records, 0)).toBe(30);
  });

  it('keeps every record once, in order, within limits, and above the minimum when possible', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 13 }),
        async (min, extra, count, drainEvery) => {
          const limits = { minRecords: min, maxRecords: 2 * min + extra, maxBytes: 1e9 };
          const { shards, sinks } = await split(Array(count).fill(8), limits, drainEvery);
          expect(shards.map((s) => s.shard)).toEqual(shards.map((_, i) => i + 1));
          expect(shards.every((s) => s.records <= limits.maxRecords)).toBe(true);
          if (count >= min) expect(shards.every((s) => s.records >= min)).toBe(true);
          const all = shards.flatMap((s) => sinks.objects.get(s.inputKey)!.split('\n').filter(Boolean));
          expect(all.map(Number)).toEqual(Array.from({ length: count }, (_, i) => i));
          const sides = shards.flatMap((s) => sinks.objects.get(s.rowsKey)!.split('\n').filter(Boolean));
          expect(sides.map(Number)).toEqual(all.map(Number));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is used by prepare with the pipeline limits', async () => {
    const csv = `Context,Response\n${'a,b\n'.repeat(25)}`;
    const { plan } = await run(csv, testPipeline({ minRecordsPerJob: 5, maxRecordsPerJob: 10 }));
    expect(plan.shards.map((s) => s.records)).toEqual([10, 10, 5]);
  });
});

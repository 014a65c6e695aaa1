/** The bound on dedupe's carry store in Collect's /tmp: what Prepare counts, and the refusal. */
import { describe, expect, it } from 'vitest';
import { spillBytesPerRecord, spillBytesPerShard } from '../../../lambda/core/collect/spill-size';
import { CollectStorageTooSmallError } from '../../../lambda/core/contract/errors';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { carrySlotBytes, checkCollectDisk, collectDiskBytes } from '../../../lambda/core/dedupe/carry-bound';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { prepare } from '../../../lambda/core/prepare/prepare';
import { chunked, run, testPipeline } from '../prepare/helpers';

const MIB = 1024 * 1024;
const dedupe = testPipeline({ dedupe: true });

/** A CSV whose rows ask the questions named, in order ("a", "b", "a" → rows 1 and 3 are identical). */
function csvOf(questions: readonly string[]): string {
  return `Context,Response\n${questions.map((q) => `${q},same`).join('\n')}\n`;
}

async function carried(questions: readonly string[]): Promise<number | undefined> {
  return (await run(csvOf(questions), dedupe)).plan.dedupe?.carried;
}

describe("plan.json's dedupe.carried: the most records Collect's carry store holds at once", () => {
  it('is 0 without duplicates', async () => {
    expect(await carried(['a', 'b', 'c'])).toBe(0);
  });

  it('is 1 for adjacent duplicates: each answer is released before the next is kept', async () => {
    expect(await carried(['a', 'a', 'b', 'b', 'c', 'd', 'd'])).toBe(1);
  });

  it('counts far duplicates: the same questions twice, the second copy at the end', async () => {
    const questions = Array.from({ length: 300 }, (_, i) => `q${i}`);
    const { plan } = await run(csvOf([...questions, ...questions]), dedupe);
    expect(plan.records).toBe(300);
    expect(plan.dedupe).toMatchObject({ duplicates: 300, carried: 300 });
  });

  it('counts the spans open at once over several groups, nested and in turn', async () => {
    // a: rows 1-7, b: 2-5, c: 4-9 (all three open at row 4); e and f never repeat.
    expect(await carried(['a', 'b', 'a', 'c', 'b', 'a', 'a', 'e', 'c', 'f'])).toBe(3);
    // a: 1-4 holds b: 2-3; then c: 5-6 alone.
    expect(await carried(['a', 'b', 'b', 'a', 'c', 'c'])).toBe(2);
    // a span ends at its last duplicate: a 1-2, b 3-5, c 4-7 (b and c overlap at rows 4-5).
    expect(await carried(['a', 'a', 'b', 'c', 'b', 'x', 'c'])).toBe(2);
  });

  it('is 1 for a chain: one record shared by every row', async () => {
    expect(await carried(['a', 'a', 'a', 'a', 'a'])).toBe(1);
  });

  it('is absent with dedupe off', async () => {
    expect((await run(csvOf(['a', 'a']), testPipeline())).plan.dedupe).toBeUndefined();
  });
});

describe('checkCollectDisk', () => {
  const perRecord = carrySlotBytes(dedupe);
  const shard = spillBytesPerShard(dedupe);

  it("keeps each answer in a slot of a spilled record's bound, in whole 4 KiB blocks", () => {
    expect(perRecord % 4096).toBe(0);
    expect(perRecord).toBeGreaterThanOrEqual(spillBytesPerRecord(dedupe));
    expect(perRecord - spillBytesPerRecord(dedupe)).toBeLessThan(4096);
  });

  it('is one shard of spill plus a slot for each answer carried at once', () => {
    expect(collectDiskBytes(dedupe, 0)).toBe(shard);
    expect(collectDiskBytes(dedupe, 10)).toBe(shard + 10 * perRecord);
  });

  it('passes a run that fits exactly and refuses one carried answer more, saying what to do', () => {
    const storageMiB = Math.ceil(shard / MIB) + 100;
    const fits = Math.floor((storageMiB * MIB - shard) / perRecord);
    expect(() => checkCollectDisk(dedupe, fits, storageMiB)).not.toThrow();
    let caught: unknown;
    try {
      checkCollectDisk(dedupe, fits + 1, storageMiB);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CollectStorageTooSmallError);
    const error = caught as CollectStorageTooSmallError;
    expect(error.code).toBe('COLLECT_STORAGE_TOO_SMALL');
    expect(error.message).toContain(`keep up to ${fits + 1} answers at once`);
    expect(error.message).toContain(`up to ${Math.ceil(collectDiskBytes(dedupe, fits + 1) / MIB)} MiB`);
    expect(error.message).toContain(`gave it ${storageMiB} MiB`);
    expect(error.message).toContain('Put identical rows next to each other in the file');
    expect(error.message).toContain('"dedupe": false in pipeline "test"');
    expect(error.message).toContain("a larger collectStorageMiB (up to Lambda's 10,240)");
  });

  it('makes prepare refuse before the plan is written, and leave a run that fits as it was', async () => {
    const questions = Array.from({ length: 40 }, (_, i) => `q${i}`);
    const csv = csvOf([...questions, ...questions]);
    // 4,096 tokens: 56 KiB slots, so a MiB step moves the bound by 18 answers.
    const big = testPipeline({ dedupe: true, maxTokens: 4096 });
    const bigShard = spillBytesPerShard(big);
    const storageMiB = Math.floor((bigShard + 39 * carrySlotBytes(big)) / MIB);
    const tight = Math.floor((storageMiB * MIB - bigShard) / carrySlotBytes(big));
    expect(tight).toBeGreaterThanOrEqual(0);
    expect(tight).toBeLessThan(40);
    const sinks = memorySinks();
    const options = { pipeline: big, sinks, keys: LOCAL_KEYS };
    await expect(prepare(chunked(csv), { ...options, collectStorageMiB: storageMiB })).rejects.toThrow(
      CollectStorageTooSmallError,
    );
    expect(sinks.objects.has(LOCAL_KEYS.plan())).toBe(false);
    const roomy = await prepare(chunked(csv), { ...options, collectStorageMiB: storageMiB + 10 });
    const unchecked = await run(csv, big);
    expect(roomy).toEqual(unchecked.plan);
  });
});

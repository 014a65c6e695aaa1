/** The bound on dedupe's carry store in Collect's /tmp: what Prepare counts, and the refusal. */
import { describe, expect, it } from 'vitest';
import { spillBytesPerRecord, spillBytesPerShard } from '../../../lambda/core/collect/spill-size';
import { CollectStorageTooSmallError } from '../../../lambda/core/contract/errors';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { checkCollectDisk, collectDiskBytes } from '../../../lambda/core/dedupe/carry-bound';
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

describe("plan.json's dedupe.carried: the records Collect's carry store holds", () => {
  it('is 0 without duplicates', async () => {
    expect(await carried(['a', 'b', 'c'])).toBe(0);
  });

  it('counts adjacent duplicates once per record (the store keeps every one until Collect ends)', async () => {
    expect(await carried(['a', 'a', 'b', 'b', 'c', 'd', 'd'])).toBe(3);
  });

  it('counts far duplicates: the same questions twice, the second copy at the end', async () => {
    const questions = Array.from({ length: 300 }, (_, i) => `q${i}`);
    const { plan } = await run(csvOf([...questions, ...questions]), dedupe);
    expect(plan.records).toBe(300);
    expect(plan.dedupe).toMatchObject({ duplicates: 300, carried: 300 });
  });

  it('counts several groups and chains (one record shared by many rows) once each', async () => {
    expect(await carried(['a', 'b', 'a', 'c', 'b', 'a', 'a', 'e', 'c', 'f'])).toBe(3);
    expect(await carried(['a', 'a', 'a', 'a', 'a'])).toBe(1);
  });

  it('is absent with dedupe off', async () => {
    expect((await run(csvOf(['a', 'a']), testPipeline())).plan.dedupe).toBeUndefined();
  });
});

describe('checkCollectDisk', () => {
  const perRecord = spillBytesPerRecord(dedupe);
  const shard = spillBytesPerShard(dedupe);

  it("is one shard of spill plus each carried answer at a spilled record's bound", () => {
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
    expect(error.message).toContain(`answers of ${fits + 1} records`);
    expect(error.message).toContain(`up to ${Math.ceil(collectDiskBytes(dedupe, fits + 1) / MIB)} MiB`);
    expect(error.message).toContain(`gave it ${storageMiB} MiB`);
    expect(error.message).toContain('"dedupe": false in pipeline "test"');
    expect(error.message).toContain("a larger collectStorageMiB (up to Lambda's 10,240)");
  });

  it('makes prepare refuse before the plan is written, and leave a run that fits as it was', async () => {
    const questions = Array.from({ length: 40 }, (_, i) => `q${i}`);
    const csv = csvOf([...questions, ...questions]);
    // 4,096 tokens: about 56 KB a record, so a MiB step moves the bound by about 18 answers.
    const big = testPipeline({ dedupe: true, maxTokens: 4096 });
    const bigShard = spillBytesPerShard(big);
    const storageMiB = Math.floor((bigShard + 39 * spillBytesPerRecord(big)) / MIB);
    const tight = Math.floor((storageMiB * MIB - bigShard) / spillBytesPerRecord(big));
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

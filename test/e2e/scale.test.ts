import { afterAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runner';
import { DistributedMapHistory } from '../../local/runner/map-history';
import { LocalStacks, questionsCsv, reconcile } from '../helpers/local-stack';

/** Shards of the suite's run; bench/scale.bench.ts runs 200 (docs in bench/RESULTS.md). */
const SHARDS = 60;
const RECORDS_PER_SHARD = 2;

async function recorded<T>(stack: LocalStack, fn: () => Promise<T>): Promise<[T, DistributedMapHistory]> {
  const history = new DistributedMapHistory(stack.definition);
  const stop = stack.onEvent((event) => history.add(event));
  try {
    return [await fn(), history];
  } finally {
    stop();
  }
}

describe('many shards through the local runner (issue 7, item 7)', () => {
  const stacks = new LocalStacks();
  afterAll(() => stacks.close());

  it(`runs ${SHARDS} jobs, one per shard, every row ok, with a parent history that does not grow`, async () => {
    const stack = await stacks.start({ minRecordsPerJob: 1, maxConcurrentJobs: 20 });
    const [one, oneHistory] = await recorded(stack, () =>
      stacks.run(stack, questionsCsv(RECORDS_PER_SHARD), { pipeline: 'many-shards', fileName: 'one.csv' }),
    );
    expect(one.outcome.status).toBe('succeeded');
    const before = stack.bedrock.jobs().length;

    const rows = SHARDS * RECORDS_PER_SHARD;
    const [run, history] = await recorded(stack, () =>
      stacks.run(stack, questionsCsv(rows), { pipeline: 'many-shards', fileName: 'many.csv' }),
    );

    expect(run.outcome.error).toBeUndefined();
    const jobs = stack.bedrock.jobs().slice(before);
    expect(jobs).toHaveLength(SHARDS);
    expect(new Set(jobs.map((job) => job.jobName)).size).toBe(SHARDS);
    expect(jobs.every((job) => job.status === 'Completed')).toBe(true);
    expect(run.summary?.jobs).toHaveLength(SHARDS);
    expect(run.summary?.counts).toMatchObject({ input: rows, ok: rows, error: 0, missing: 0 });
    const [input, parts] = reconcile(run.summary!);
    expect(parts).toBe(input);
    expect(run.rows).toHaveLength(rows);
    expect(run.rows.every((row) => row.status === 'ok')).toBe(true);

    // The parent records the same events for 1 shard and for 60; each shard's job has its own history.
    expect(history.children.size).toBe(SHARDS);
    expect(history.parent).toBe(oneHistory.parent);
    expect(history.parent).toBeLessThan(100);
    expect(history.largestChild).toBeLessThan(history.inline / 10);
    expect(history.inline).toBeGreaterThan(SHARDS * 10);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runner';
import { LocalStacks, reconcile } from '../helpers/local-stack';

const stacks = new LocalStacks();
afterAll(() => stacks.close());

describe('results are never ambiguous or thrown away', () => {
  // One stack without faults for the three runs: each test reads only its own run's files.
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await stacks.start();
  });

  it('publishes the rejected rows of a run whose rows are all rejected, each with its record id', async () => {
    // small.json: belowMinimum on-demand; every row has one cell too many.
    const csv = `id,question\n${[1, 2, 3, 4, 5].map((n) => `q${n},What is ${n}?,extra`).join('\n')}\n`;
    const run = await stacks.run(stack, csv, { pipeline: 'small', fileName: 'all-bad.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(run.summary?.counts).toMatchObject({ input: 5, ok: 0, rejected: 5 });
    expect(reconcile(run.summary!)).toEqual([5, 5]);
    expect(run.rows.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    expect(run.rows.map((r) => r.error_code)).toEqual(Array(5).fill('ROW_COLUMN_COUNT'));
    expect(run.errors).toHaveLength(5);
  });

  it('gives a rejected row r + its row number as record_id when the pipeline has no idColumn', async () => {
    const good = Array.from({ length: 5 }, (_, i) => `What is ${i}?,x`);
    const csv = `question,note\n${good.join('\n')}\nbroken,row,here\n`;
    const run = await stacks.run(stack, csv, { pipeline: 'no-id', fileName: 'one-bad.csv' });

    expect(run.outcome.status).toBe('succeeded');
    const rejected = run.rows.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.record_id).toBe('r000000006');
    expect(run.errors[0]!.record_id).toBe('r000000006');
  });

  it("never repeats a header name: a reader by name gets the pipeline's status, not the analyst's", async () => {
    const rows = Array.from({ length: 6 }, (_, i) => `q${i + 1},What is ${i}?,pending,mine-${i},draft,7`);
    const csv = `id,question,status,record_id,output,row\n${rows.join('\n')}\n`;
    const run = await stacks.run(stack, csv, { pipeline: 'shards', fileName: 'collide.csv' });

    expect(run.outcome.status).toBe('succeeded');
    const header = run.resultsCsv
      .replace(/^\uFEFF/, '')
      .split('\r\n')[0]!
      .split(',');
    expect(new Set(header).size).toBe(header.length);
    expect(header.slice(0, 6)).toEqual([
      'id',
      'question',
      'input.status',
      'input.record_id',
      'input.output',
      'input.row',
    ]);
    expect(run.rows.map((r) => r.status)).toEqual(Array(6).fill('ok'));
    expect(run.rows[0]!['input.status']).toBe('pending');
    expect(run.rows[0]!.record_id).toBe('q1');
    expect(run.rows[0]!['input.record_id']).toBe('mine-0');
  });
});

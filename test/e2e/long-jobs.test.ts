import { afterAll, describe, expect, it } from 'vitest';
import { LocalStacks, questionsCsv } from '../helpers/local-stack';

const HOUR = 3_600_000;

describe('long jobs on a simulated clock', () => {
  const stacks = new LocalStacks();
  afterAll(() => stacks.close());

  it('polls a 167-hour job with a history far below 25,000 events (row 36)', async () => {
    const stack = await stacks.start({ durations: { inProgress: 167 * HOUR } });
    const run = await stacks.run(stack, questionsCsv(6), { pipeline: 'week-long', fileName: 'week.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(run.outcome.simulatedMs).toBeGreaterThan(167 * HOUR);
    expect(run.outcome.historyEvents).toBeGreaterThan(100);
    expect(run.outcome.historyEvents).toBeLessThan(5_000);
  });

  it('stops a job stuck past the run limit and fails with TIMEOUT (row 37)', async () => {
    const stack = await stacks.start({ stuck: true }, { environment: { MAX_RUN_HOURS: '30' } });
    const run = await stacks.run(stack, questionsCsv(6), { pipeline: 'week-long', fileName: 'stuck.csv' });

    expect(run.outcome.error?.code).toBe('TIMEOUT');
    expect(run.report).toMatchObject({ code: 'TIMEOUT' });
    expect(run.outcome.simulatedMs).toBeGreaterThan(30 * HOUR);
    await stack.bedrock.idle();
    expect(stack.bedrock.jobs().map((job) => job.status)).toEqual(['Stopped']);
  });
});

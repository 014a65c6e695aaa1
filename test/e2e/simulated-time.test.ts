import { afterAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runner';
import { LocalStacks, questionsCsv } from '../helpers/local-stack';

/** Each job's phase times as offsets from the stack's start, in simulated milliseconds. */
function jobTimeline(stack: LocalStack) {
  return stack.bedrock
    .jobs()
    .map((job) => ({
      name: job.jobName,
      status: job.status,
      submitted: Date.parse(job.submitTime) - stack.clock.start,
      ended: Date.parse(job.endTime ?? '') - stack.clock.start,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe('simulated time never depends on how fast the machine is', () => {
  const stacks = new LocalStacks();
  afterAll(() => stacks.close());

  it('gives the same timeline when every emulator S3 call takes 40 ms longer', async () => {
    const csv = questionsCsv(23);
    const fast = await stacks.start();
    const fastRun = await stacks.run(fast, csv, { fileName: 'timeline.csv' });
    const slow = await stacks.start({}, { emulatorS3DelayMs: 40 });
    const slowRun = await stacks.run(slow, csv, { fileName: 'timeline.csv' });

    expect(fastRun.outcome.status).toBe('succeeded');
    expect(slowRun.outcome.status).toBe('succeeded');
    expect(jobTimeline(fast)).toHaveLength(3);
    expect(jobTimeline(slow)).toEqual(jobTimeline(fast));
    expect(slowRun.outcome.simulatedMs).toBe(fastRun.outcome.simulatedMs);
    expect(slowRun.rows).toEqual(fastRun.rows);
    // Two stacks and two runs, the second with 40 ms on every emulator S3 call: once over 30 s on a loaded
    // machine. The point is the simulated timeline, not the wall time.
  }, 120_000);
});

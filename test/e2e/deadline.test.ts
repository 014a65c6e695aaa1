import { afterAll, describe, expect, it } from 'vitest';
import { LocalStacks, questionsCsv, reconcile } from '../helpers/local-stack';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** summary.json's `deadline` member, as far as these tests read it. */
interface DeadlineMember {
  readonly hours: number;
  readonly dueAt: string;
  readonly met: boolean;
  readonly feasible: boolean;
  readonly switched: boolean;
  readonly switchedAt: string | null;
  readonly jobsSwitched: number;
  readonly onDemandRows: number;
  readonly onDemandTokens: { input: number; output: number };
  readonly switchCostUsd: number | null;
}

function deadlineOf(summary: unknown): DeadlineMember {
  return (summary as { deadline: DeadlineMember }).deadline;
}

// deadline.json: 40 rows in one batch job, results due 1 hour after the run starts, retryRound false
// (the switch does not depend on the second chance being on).
describe('a pipeline deadline (deadlineHours)', () => {
  const stacks = new LocalStacks();
  afterAll(() => stacks.close());

  it('stops a job too slow for the deadline and finishes the rest on demand, in time', async () => {
    // The fault: the job needs 2 hours InProgress (a quarter of the records every 30 minutes).
    const stack = await stacks.start({ durations: { inProgress: 2 * HOUR } });
    const run = await stacks.run(stack, questionsCsv(40), { pipeline: 'deadline', fileName: 'slow.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(run.summary?.counts).toMatchObject({ input: 40, ok: 40, missing: 0, error: 0 });
    const [input, parts] = reconcile(run.summary!);
    expect(parts).toBe(input);
    expect(run.rows.every((row) => row.status === 'ok')).toBe(true);
    await stack.bedrock.idle();
    const [job] = stack.bedrock.jobs();
    expect(stack.bedrock.jobs()).toHaveLength(1);
    expect(job?.status).toBe('Stopped');
    const processed = job?.processedRecordCount ?? 0;
    expect(processed).toBe(10);

    const deadline = deadlineOf(run.summary);
    expect(deadline).toMatchObject({ hours: 1, met: true, feasible: true, switched: true, jobsSwitched: 1 });
    expect(deadline.onDemandRows).toBe(40 - processed);
    const switchedAfter = Date.parse(deadline.switchedAt!) - (Date.parse(deadline.dueAt) - HOUR);
    expect(switchedAfter).toBeGreaterThan(30 * MINUTE);
    expect(switchedAfter).toBeLessThan(HOUR);
    expect(deadline.onDemandTokens.input).toBeGreaterThan(0);
    expect(deadline.switchCostUsd).toBeGreaterThan(0);
    // The emulator answered the rest on demand, and the run ended before the deadline on the simulated clock.
    expect(stack.bedrock.runtimeStats().calls).toBe(40 - processed);
    expect(run.outcome.simulatedMs).toBeLessThan(HOUR);
  });

  it('does not switch a job that ends in time', async () => {
    const stack = await stacks.start();
    const run = await stacks.run(stack, questionsCsv(40), { pipeline: 'deadline', fileName: 'fast.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(run.summary?.counts).toMatchObject({ input: 40, ok: 40 });
    expect(stack.bedrock.jobs().map((job) => job.status)).toEqual(['Completed']);
    expect(stack.bedrock.runtimeStats().calls).toBe(0);
    expect(deadlineOf(run.summary)).toMatchObject({
      hours: 1,
      met: true,
      feasible: true,
      switched: false,
      switchedAt: null,
      jobsSwitched: 0,
      onDemandRows: 0,
      switchCostUsd: 0,
    });
  });

  // deadline-tight.json: 4,000 rows due in 1 hour; on demand they are estimated at 4,000 × 2 s ÷ 4 × 1.5
  // + 15 minutes = 65 minutes, so the deadline cannot be met even on demand.
  it('reports a deadline that cannot be met even on demand, and still runs the file in batch', async () => {
    const stack = await stacks.start();
    const run = await stacks.run(stack, questionsCsv(4000), {
      pipeline: 'deadline-tight',
      fileName: 'tight.csv',
    });

    expect(run.outcome.status).toBe('succeeded');
    expect(run.summary?.counts).toMatchObject({ input: 4000, ok: 4000 });
    expect(stack.bedrock.jobs().map((job) => job.status)).toEqual(['Completed']);
    expect(stack.bedrock.runtimeStats().calls).toBe(0);
    const deadline = deadlineOf(run.summary) as DeadlineMember & { cannotBeMet?: string };
    expect(deadline).toMatchObject({ hours: 1, feasible: false, switched: false });
    expect(deadline.cannotBeMet).toBe(
      "Deadline cannot be met: even on demand the run's 4000 records were estimated to take 65 minutes, more than the 1 hour allowed; the run went on in batch",
    );
  }, 120_000);
});

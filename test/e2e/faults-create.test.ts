import { afterAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runner';
import type { ExecutionEvent } from '../../local/runner/execution';
import { LocalStacks, questionsCsv } from '../helpers/local-stack';

/** Events of the state machine while `fn` runs. */
async function recording<T>(stack: LocalStack, fn: () => Promise<T>): Promise<[T, ExecutionEvent[]]> {
  const events: ExecutionEvent[] = [];
  const stop = stack.onEvent((event) => events.push(event));
  try {
    return [await fn(), events];
  } finally {
    stop();
  }
}

const retriesOf = (events: ExecutionEvent[], state: string) =>
  events.filter((event) => event.type === 'StateRetried' && event.state?.name === state).length;

describe('faults on CreateModelInvocationJob and on Submit job (rows 26-29)', () => {
  const stacks = new LocalStacks();
  afterAll(() => stacks.close());

  it('retries a create throttled 3 times and gets one job with one token (row 26)', async () => {
    const stack = await stacks.start({
      createErrors: ['ThrottlingException', 'ThrottlingException', 'ThrottlingException'],
    });
    const run = await stacks.run(stack, questionsCsv(6), { fileName: 'throttled.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(stack.bedrock.jobs()).toHaveLength(1);
    expect(run.summary?.counts.ok).toBe(6);
    // Four creates: three throttled, then the job; every one with the same client token, so no retry can
    // make a second job.
    const calls = stack.bedrock.createCalls();
    expect(calls.map((call) => call.error)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      'ThrottlingException',
      undefined,
    ]);
    expect(new Set(calls.map((call) => call.clientRequestToken)).size).toBe(1);
    expect(calls[0]?.clientRequestToken).toBe(stack.bedrock.jobs()[0]?.clientRequestToken);
  });

  it('gets the same job back when Submit job is retried after its create succeeded (row 27)', async () => {
    const stack = await stacks.start({}, { lostResponses: { 'submit-job': 1 } });
    const [run, events] = await recording(stack, () =>
      stacks.run(stack, questionsCsv(6), { fileName: 'lost-response.csv' }),
    );

    expect(run.outcome.status).toBe('succeeded');
    expect(retriesOf(events, 'Submit job')).toBe(1);
    expect(stack.bedrock.jobs()).toHaveLength(1);
    expect(run.summary?.jobs.map((job) => job.jobArn)).toEqual([stack.bedrock.jobs()[0]?.jobArn]);
  });

  it('waits for the concurrent-job quota with backoff in minutes and then runs every shard (row 28)', async () => {
    const stack = await stacks.start({ maxConcurrentJobs: 1 });
    const [run, events] = await recording(stack, () =>
      stacks.run(stack, questionsCsv(25), { fileName: 'quota.csv' }),
    );

    expect(run.outcome.error).toBeUndefined();
    expect(run.outcome.status).toBe('succeeded');
    expect(retriesOf(events, 'Submit job')).toBeGreaterThan(0);
    expect(stack.bedrock.jobs()).toHaveLength(3);
    expect(run.outcome.simulatedMs).toBeGreaterThan(60_000);
  });

  it('fails clearly, marked retryable, when the quota stays full past the retry cap (row 28)', async () => {
    const stack = await stacks.start({ createErrors: Array(200).fill('ServiceQuotaExceededException') });
    const run = await stacks.run(stack, questionsCsv(6), { fileName: 'quota-forever.csv' });

    expect(run.outcome.error?.code).toBe('JOB_CAPACITY');
    expect(run.report).toMatchObject({ code: 'JOB_CAPACITY', retryable: true });
    expect(String(run.report?.whatToDo)).toMatch(/upload the file again later/);
    expect(stack.bedrock.jobs()).toHaveLength(0);
  });

  it('does not retry a ValidationException and shows Bedrock’s message (row 29)', async () => {
    const stack = await stacks.start({ createErrors: ['ValidationException'] });
    const [run, events] = await recording(stack, () =>
      stacks.run(stack, questionsCsv(6), { fileName: 'invalid.csv' }),
    );

    expect(run.outcome.error?.code).toBe('JOB_REJECTED');
    expect(run.outcome.error?.message).toContain('The request is not valid. (emulated fault)');
    expect(JSON.stringify(run.report)).toContain('The request is not valid. (emulated fault)');
    expect(retriesOf(events, 'Submit job')).toBe(0);
  });
});

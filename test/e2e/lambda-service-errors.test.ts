import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_RETRY } from '../../lib/retries';
import type { LocalStack } from '../../local/runner';
import type { ExecutionEvent } from '../../local/runner/execution';
import { LocalStacks, questionsCsv } from '../helpers/local-stack';

/** State name → how many times the state was retried, while `fn` runs. */
async function retried<T>(stack: LocalStack, fn: () => Promise<T>): Promise<[T, Record<string, number>]> {
  const retries: Record<string, number> = {};
  const stop = stack.onEvent((event: ExecutionEvent) => {
    if (event.type !== 'StateRetried' || event.state === undefined) return;
    retries[event.state.name] = (retries[event.state.name] ?? 0) + 1;
  });
  try {
    return [await fn(), retries];
  } finally {
    stop();
  }
}

describe('Lambda service errors are retried by the state machine (row 39)', () => {
  const stacks = new LocalStacks();
  afterAll(() => stacks.close());

  it('recovers from TooManyRequestsException and ServiceException on prepare, check and collect', async () => {
    const stack = await stacks.start(
      {},
      {
        throttledInvocations: { 'prepare-input': 1, 'check-job': 2, 'collect-results': 1 },
        lostResponses: { 'check-job': 1 },
      },
    );
    const [run, retries] = await retried(stack, () =>
      stacks.run(stack, questionsCsv(6), { fileName: 'lambda-throttled.csv' }),
    );

    expect(run.outcome.error).toBeUndefined();
    expect(run.outcome.status).toBe('succeeded');
    expect(retries).toEqual({ 'Prepare input': 1, 'Check job': 3, 'Collect results': 1 });
    expect(stack.bedrock.jobs()).toHaveLength(1);
    expect(run.summary?.counts.ok).toBe(6);
  });

  it('fails the run with a report once the retries are used up', async () => {
    const stack = await stacks.start({}, { throttledInvocations: { 'collect-results': 50 } });
    const [run, retries] = await retried(stack, () =>
      stacks.run(stack, questionsCsv(6), { fileName: 'lambda-throttled-forever.csv' }),
    );

    expect(run.outcome.status).toBe('failed');
    expect(retries['Collect results']).toBe(LAMBDA_RETRY.maxAttempts);
    expect(LAMBDA_RETRY.errors).toContain('Lambda.TooManyRequestsException');
    expect(JSON.stringify(run.report)).toContain('TooManyRequestsException');
  });

  it('still notifies, with a minimal message, when Record failure itself fails', async () => {
    const stack = await stacks.start(
      {},
      { throttledInvocations: { 'prepare-input': 50, 'record-failure': 50 } },
    );
    const [run, retries] = await retried(stack, () =>
      stacks.run(stack, questionsCsv(6), { fileName: 'record-failure-throttled.csv' }),
    );

    expect(retries['Record failure']).toBe(LAMBDA_RETRY.maxAttempts);
    expect(run.outcome.status).toBe('failed');
    expect(run.report).toBeUndefined();
    const last = stack.notifications.at(-1)!;
    expect(last.state).toBe('Notify unrecorded failure');
    expect(last.subject).toBe('Bedrock batch run failed');
    expect(run.outcome.error?.code).toBe('FAILURE_NOT_RECORDED');
    expect(String(last.message)).toContain(`Bedrock batch run ${run.outcome.runId} failed`);
    expect(String(last.message)).toContain('Lambda.TooManyRequestsException');
  });
});

import { describe, expect, it } from 'vitest';
import { JobRejectedError } from '../../../lambda/core/contract/errors';
import type { InvocationResult } from '../../../lambda/core/on-demand/failure';
import type { ShardRecord } from '../../../lambda/core/on-demand/output-line';
import {
  countersOf,
  manifestOf,
  type OnDemandOptions,
  processShard,
  statusOf,
} from '../../../lambda/core/on-demand/process';

const claudeOutput = (text: string) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  content: [{ type: 'text', text }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 10, output_tokens: 3 },
});

function shardLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ recordId: `r${String(i + 1).padStart(9, '0')}`, modelInput: { prompt: `q${i + 1}` } }),
  );
}

async function* iterate(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

/** A manual clock: sleeping advances it; each call may cost time too. */
function clock(startRemainingMs = 600_000) {
  let t = 0;
  return {
    advance: (ms: number) => {
      t += ms;
    },
    options: {
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
      },
      random: () => 0.5,
      deadline: { remainingMs: () => startRemainingMs - t },
    } satisfies Partial<OnDemandOptions>,
  };
}

const ok = (record: ShardRecord): InvocationResult => ({
  ok: true,
  output: claudeOutput(`answer to ${record.recordId}`),
});
const failure = (name: string, status: number, message = 'nope'): InvocationResult => ({
  ok: false,
  failure: { name, status, message },
});

async function run(
  lines: readonly string[],
  invoke: (record: ShardRecord) => Promise<InvocationResult>,
  options: Partial<OnDemandOptions> = {},
) {
  const written: string[] = [];
  const report = await processShard(
    iterate(lines),
    invoke,
    async (line) => {
      written.push(line);
    },
    { kind: 'anthropic-claude', ...clock().options, ...options },
  );
  return { report, written, parsed: written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('processShard', () => {
  it('writes one batch-shaped line per record and counts tokens as the manifest does', async () => {
    const { report, written, parsed } = await run(shardLines(10), async (record) => ok(record));
    expect(written.every((line) => line.endsWith('}\n'))).toBe(true);
    expect(parsed).toHaveLength(10);
    for (const line of parsed) expect(Object.keys(line)).toEqual(['recordId', 'modelInput', 'modelOutput']);
    const first = parsed.find((line) => line.recordId === 'r000000001');
    expect(first).toEqual({
      recordId: 'r000000001',
      modelInput: { prompt: 'q1' },
      modelOutput: claudeOutput('answer to r000000001'),
    });
    expect(manifestOf(report)).toEqual({
      totalRecordCount: 10,
      processedRecordCount: 10,
      successRecordCount: 10,
      errorRecordCount: 0,
      inputTokenCount: 100,
      outputTokenCount: 30,
    });
    expect(statusOf(report)).toBe('Completed');
  });

  it('retries a throttled record with backoff until it answers', async () => {
    const calls = new Map<string, number>();
    const { options } = clock();
    let slept = 0;
    const { report, parsed } = await run(
      shardLines(5),
      async (record) => {
        const n = (calls.get(record.recordId) ?? 0) + 1;
        calls.set(record.recordId, n);
        return record.recordId === 'r000000003' && n <= 2 ? failure('ThrottlingException', 429) : ok(record);
      },
      {
        ...options,
        sleep: async (ms) => {
          slept += ms;
          await options.sleep(ms);
        },
      },
    );
    expect(calls.get('r000000003')).toBe(3);
    expect(report).toMatchObject({ success: 5, error: 0, retries: 2, throttled: 2 });
    expect(slept).toBeGreaterThan(0);
    expect(parsed.every((line) => 'modelOutput' in line)).toBe(true);
  });

  it('writes a retryable error line when throttling outlasts the attempts', async () => {
    const { report, parsed } = await run(
      shardLines(1),
      async () => failure('ThrottlingException', 429, 'Too many requests'),
      { backoff: { maxAttempts: 3, baseMs: 100, capMs: 1000 } },
    );
    expect(parsed).toEqual([
      {
        recordId: 'r000000001',
        modelInput: { prompt: 'q1' },
        error: {
          errorCode: 429,
          errorMessage: 'ThrottlingException: Too many requests (retryable; gave up after 3 attempts)',
        },
      },
    ]);
    expect(report).toMatchObject({ error: 1, retryableErrors: 1, retries: 2, throttled: 3 });
    expect(countersOf(report)).toEqual({
      totalRecordCount: 1,
      processedRecordCount: 1,
      successRecordCount: 0,
      errorRecordCount: 1,
    });
  });

  it.each([
    ['ServiceUnavailableException', 503],
    ['InternalServerException', 500],
    ['ModelTimeoutException', 408],
  ])('retries %s and marks it retryable when it persists', async (name, status) => {
    let calls = 0;
    const { parsed, report } = await run(
      shardLines(1),
      async () => {
        calls++;
        return failure(name, status);
      },
      { backoff: { maxAttempts: 2, baseMs: 10, capMs: 10 } },
    );
    expect(calls).toBe(2);
    expect(parsed[0]).toMatchObject({ error: { errorCode: status } });
    expect(report.retryableErrors).toBe(1);
  });

  it('does not retry a bad request', async () => {
    let calls = 0;
    const { parsed, report } = await run(shardLines(1), async () => {
      calls++;
      return failure('ValidationException', 400, 'messages: Field required');
    });
    expect(calls).toBe(1);
    expect(parsed[0]).toMatchObject({
      error: { errorCode: 400, errorMessage: 'ValidationException: messages: Field required' },
    });
    expect(report).toMatchObject({ error: 1, retryableErrors: 0, retries: 0 });
  });

  it('stops the shard with JobRejectedError when access is denied', async () => {
    await expect(run(shardLines(3), async () => failure('AccessDeniedException', 403))).rejects.toThrow(
      JobRejectedError,
    );
  });

  it('stops taking records when the time budget runs low and leaves the rest untouched', async () => {
    const c = clock(100_000);
    const { report, parsed } = await run(
      shardLines(10),
      async (record) => {
        c.advance(10_000);
        return ok(record);
      },
      { ...c.options, concurrency: 1, marginMs: 60_000 },
    );
    expect(report).toMatchObject({ total: 10, success: 4, untouched: 6 });
    expect(parsed.map((line) => line.recordId)).toEqual([
      'r000000001',
      'r000000002',
      'r000000003',
      'r000000004',
    ]);
    expect(statusOf(report)).toBe('PartiallyCompleted');
    expect(countersOf(report).processedRecordCount).toBe(4);
  });

  it('gives up retrying when the wait would cross the margin', async () => {
    const c = clock(60_100);
    const { parsed } = await run(shardLines(1), async () => failure('ThrottlingException', 429, 'slow'), {
      ...c.options,
      marginMs: 60_000,
    });
    expect(parsed[0]).toMatchObject({
      error: {
        errorCode: 429,
        errorMessage: 'ThrottlingException: slow (retryable; no time left to retry after 1 attempt)',
      },
    });
  });

  it('skips lines that are not records and counts them', async () => {
    const { report, parsed } = await run(['not json', '{"modelInput":{}}', ...shardLines(2)], async (r) =>
      ok(r),
    );
    expect(report).toMatchObject({ total: 2, success: 2, unreadable: 2 });
    expect(parsed).toHaveLength(2);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    let running = 0;
    let peak = 0;
    await run(
      shardLines(20),
      async (record) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return ok(record);
      },
      { concurrency: 4 },
    );
    expect(peak).toBe(4);
  });
});

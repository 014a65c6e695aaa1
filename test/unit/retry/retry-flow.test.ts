/**
 * A run through Collect's core twice: the first round (batch output lines with 20% retryable errors and
 * two bad requests), the selection, a second round on demand (the emulated model through
 * processShard), and Collect again over the merged lines.
 */
import { describe, expect, it } from 'vitest';
import type { JoinSources } from '../../../lambda/core/collect/join';
import { collectRun, type RunSummary } from '../../../lambda/core/collect/run';
import { StringSink } from '../../../lambda/core/collect/sink';
import { MemorySpillStore } from '../../../lambda/core/collect/spill';
import type { PipelineDefinition } from '../../../lambda/core/contract/types';
import type { InvocationResult } from '../../../lambda/core/on-demand/failure';
import type { ShardRecord } from '../../../lambda/core/on-demand/output-line';
import { processShard } from '../../../lambda/core/on-demand/process';
import { RoundMerge } from '../../../lambda/core/retry/merge';
import {
  jobOfRecord,
  planRetryRound,
  retryInputLines,
  summarizeRetry,
} from '../../../lambda/core/retry/retry-round';
import { RetrySelector } from '../../../lambda/core/retry/selection';
import { invokeModel } from '../../../local/bedrock/model/index';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const ROWS = 100;
const RETRYABLE = [
  [429, 'Too many requests, please wait before trying again.'],
  [500, 'Internal server error'],
  [503, 'Service unavailable'],
  [408, 'Model timeout'],
] as const;

const pipeline: PipelineDefinition = {
  name: 'qa',
  modelId: CLAUDE,
  promptTemplate: '{{text}}',
  maxTokens: 256,
  temperature: 0,
  invocationType: 'InvokeModel',
  output: { format: 'text' },
  minRecordsPerJob: 100,
  maxRecordsPerJob: 50_000,
  maxJobBytes: 1 << 30,
  timeoutHours: 24,
};

const id = (row: number) => `r${String(row).padStart(9, '0')}`;
const body = (row: number) => ({
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 256,
  messages: [{ role: 'user', content: [{ type: 'text', text: `Question ${row}` }] }],
});
const inputLines = Array.from({ length: ROWS }, (_, i) =>
  JSON.stringify({ recordId: id(i + 1), modelInput: body(i + 1) }),
);
const sidecarLines = Array.from({ length: ROWS }, (_, i) =>
  JSON.stringify({ recordId: id(i + 1), row: i + 1, cells: [String(i + 1), `Question ${i + 1}`] }),
);

function emulated(record: ShardRecord): InvocationResult {
  const result = invokeModel(CLAUDE, undefined, record.modelInput);
  if (!result.ok)
    return { ok: false, failure: { name: 'ValidationException', status: 400, message: result.errorMessage } };
  return { ok: true, output: result.output };
}

/** Round 1: every 5th row a retryable error, rows 2 and 3 a bad request, the rest answered. */
function firstRound(): string[] {
  return inputLines.map((line, i) => {
    const { recordId, modelInput } = JSON.parse(line) as ShardRecord;
    const row = i + 1;
    if (row % 5 === 0) {
      const [errorCode, errorMessage] = RETRYABLE[(row / 5) % RETRYABLE.length]!;
      return JSON.stringify({ recordId, modelInput, error: { errorCode, errorMessage } });
    }
    if (row === 2 || row === 3) {
      return JSON.stringify({
        recordId,
        modelInput,
        error: { errorCode: 400, errorMessage: 'messages: bad' },
      });
    }
    return JSON.stringify({
      recordId,
      modelInput,
      modelOutput: (emulated({ recordId, modelInput }) as { output: unknown }).output,
    });
  });
}

async function* iterate(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

async function collect(
  outputLines: () => AsyncIterable<string>,
  manifest: () => unknown,
  status = 'Completed',
): Promise<{ summary: RunSummary; rows: Record<string, unknown>[] }> {
  const sources: JoinSources = {
    sidecarLines: () => iterate(sidecarLines),
    outputLines,
    manifest: async () => manifest(),
    rejectedLines: () => iterate([]),
  };
  const sinks = { csv: new StringSink(), jsonl: new StringSink(), errors: new StringSink() };
  const summary = await collectRun(
    {
      runId: 'run-1',
      pipeline,
      header: ['id', 'text'],
      inputRows: ROWS,
      shards: [
        {
          shard: 1,
          records: ROWS,
          job: { jobArn: 'arn:aws:bedrock:us-east-1:1:model-invocation-job/abc', status },
        },
      ],
      resultsPrefix: 'results/qa/run-1/',
      createdAt: '2026-11-25T00:00:00.000Z',
    },
    sources,
    new MemorySpillStore(),
    sinks,
  );
  const rows = sinks.jsonl
    .text()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { summary, rows };
}

const firstManifest = {
  totalRecordCount: 100,
  processedRecordCount: 100,
  successRecordCount: 78,
  errorRecordCount: 22,
};

async function secondRound(
  invoke: (record: ShardRecord) => Promise<InvocationResult>,
  firstLines = firstRound(),
  status = 'Completed',
  manifest: unknown = firstManifest,
) {
  const first = await collect(
    () => iterate(firstLines),
    () => manifest,
    status,
  );
  const selector = new RetrySelector();
  for (const row of first.rows) {
    selector.add(1, {
      recordId: row.record_id as string,
      status: row.status as 'ok' | 'error',
      errorCode: (row.error_code as string | null) ?? undefined,
      errorMessage: (row.error_message as string | null) ?? undefined,
    });
  }
  const selection = selector.selection();
  const plan = planRetryRound(
    selection.shards.map((s) => ({ shard: s.shard, records: s.recordIds.size })),
    true,
    pipeline,
  );
  const retryLines: string[] = [];
  for await (const { line } of retryInputLines(
    iterate(inputLines),
    selection.shards[0]!.recordIds,
    jobOfRecord(plan, 1),
  )) {
    retryLines.push(line);
  }
  const written: string[] = [];
  const report = await processShard(
    iterate(retryLines),
    invoke,
    async (line) => {
      written.push(line.trimEnd());
    },
    { kind: 'anthropic-claude', sleep: async () => {}, backoff: { maxAttempts: 2, baseMs: 1, capMs: 1 } },
  );
  const merge = new RoundMerge(
    () => iterate(firstLines),
    () => iterate(written),
  );
  const second = await collect(
    () => merge.lines(),
    () => merge.manifest(manifest),
    status,
  );
  const mergedManifest = merge.manifest(manifest);
  const recovered = second.rows.filter(
    (row) => row.status === 'ok' && merge.replaced(row.record_id as string),
  ).length;
  const summary = summarizeRetry(CLAUDE, plan, selection, recovered, {
    input: report.inputTokens,
    output: report.outputTokens,
  });
  return { first, selection, plan, second, summary, mergedManifest };
}

describe('a second round', () => {
  it('recovers 20% retryable record errors, leaves bad requests alone and loses nothing', async () => {
    const { first, selection, plan, second, summary, mergedManifest } = await secondRound(async (r) =>
      emulated(r),
    );
    expect(first.summary.counts).toEqual({ input: 100, ok: 78, error: 22, rejected: 0, missing: 0 });
    expect(selection.total).toBe(20);
    expect(selection.byReason).toEqual({ throttled: 5, 'server-error': 10, timeout: 5, 'not-processed': 0 });
    expect(plan.mode).toBe('on-demand');
    expect(second.summary.counts).toEqual({ input: 100, ok: 98, error: 2, rejected: 0, missing: 0 });
    expect(new Set(second.rows.map((r) => r.record_id)).size).toBe(100);
    expect(second.rows.filter((r) => r.status === 'error').map((r) => r.record_id)).toEqual([id(2), id(3)]);
    expect(summary).toMatchObject({
      mode: 'on-demand',
      selected: 20,
      recovered: 20,
      stillFailing: 0,
      jobs: 1,
    });
    expect(summary.tokens.input).toBeGreaterThan(0);
    expect(summary.costUsd).toBeGreaterThan(0);
    expect(second.summary.warnings).toEqual([]);
    expect(mergedManifest).toMatchObject({
      processedRecordCount: 100,
      successRecordCount: 98,
      errorRecordCount: 2,
    });
  });

  it('leaves rows error when the retry fails too, each row still once', async () => {
    const { second, summary } = await secondRound(async () => ({
      ok: false,
      failure: { name: 'ServiceUnavailableException', status: 503, message: 'still down' },
    }));
    expect(second.summary.counts).toEqual({ input: 100, ok: 78, error: 22, rejected: 0, missing: 0 });
    expect(new Set(second.rows.map((r) => r.record_id)).size).toBe(100);
    const retried = second.rows.filter((r) => Number(String(r.record_id).slice(1)) % 5 === 0);
    expect(retried).toHaveLength(20);
    for (const row of retried) {
      expect(row.status).toBe('error');
      expect(row.error_message).toMatch(
        /^503: ServiceUnavailableException: still down \(retryable; gave up after 2 attempts\)$/,
      );
    }
    expect(summary).toMatchObject({ selected: 20, recovered: 0, stillFailing: 20 });
    expect(second.summary.warnings).toEqual([]);
  });

  it('gives the rows a partially completed job never reached a second chance', async () => {
    const partial = firstRound().slice(0, 90);
    const manifest = {
      totalRecordCount: 100,
      processedRecordCount: 90,
      successRecordCount: 70,
      errorRecordCount: 20,
    };
    const { first, selection, second, summary } = await secondRound(
      async (r) => emulated(r),
      partial,
      'PartiallyCompleted',
      manifest,
    );
    expect(first.summary.counts).toEqual({ input: 100, ok: 70, error: 20, rejected: 0, missing: 10 });
    expect(selection.total).toBe(28);
    expect(selection.byReason['not-processed']).toBe(10);
    expect(second.summary.counts).toEqual({ input: 100, ok: 98, error: 2, rejected: 0, missing: 0 });
    expect(second.summary.warnings.map((w) => w.message)).toEqual([]);
    expect(summary).toMatchObject({ selected: 28, recovered: 28, stillFailing: 0 });
  });
});

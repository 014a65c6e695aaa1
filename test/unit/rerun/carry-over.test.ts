/** A re-run from Prepare to Collect: only the rows not `ok` are sent; the `ok` rows are carried over. */
import { describe, expect, it } from 'vitest';
import { collectRun } from '../../../lambda/core/collect/run';
import { StringSink } from '../../../lambda/core/collect/sink';
import { MemorySpillStore } from '../../../lambda/core/collect/spill';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { planHeader } from '../../../lambda/core/jsonl/sidecar';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import type { Plan } from '../../../lambda/core/prepare/plan';
import { prepare } from '../../../lambda/core/prepare/prepare';
import { previousStatus } from '../../../lambda/core/rerun/carried-rows';
import { RowSet } from '../../../lambda/core/rerun/row-set';
import { pipeline } from '../collect/harness';

async function* bytes(text: string): AsyncGenerator<string> {
  yield text;
}

async function* lines(text: string | undefined): AsyncGenerator<string> {
  yield* (text ?? '').split('\n').filter(Boolean);
}

const p = pipeline({
  promptTemplate: 'Label: {{text}}',
  maxRecordsPerJob: 2,
  output: { format: 'json', schema: { type: 'object', properties: { label: { type: 'string' } } } },
});
const CSV = 'id,text\n1,"a, ""quoted"""\n2,b\n3,c\n4,d,extra\n5,=e\n';

/** One run: prepare (with `reuse`), answer the records of every shard but `unanswered`, collect. */
async function oneRun(
  runId: string,
  options: { unanswered?: number[]; previous?: { runId: string; jsonl: string } },
) {
  const sinks = memorySinks();
  let reuse: { previousRunId: string; rows: RowSet } | undefined;
  if (options.previous !== undefined) {
    const rows = new RowSet();
    for (const line of options.previous.jsonl.split('\n').filter(Boolean)) {
      const status = previousStatus(line);
      if (status?.status === 'ok') rows.add(status.row);
    }
    reuse = { previousRunId: options.previous.runId, rows };
  }
  const plan: Plan = await prepare(bytes(CSV), {
    pipeline: p,
    sinks,
    keys: LOCAL_KEYS,
    ...(reuse ? { reuse } : {}),
  });
  const outputs = new Map<number, string>();
  for (const shard of plan.shards) {
    if (options.unanswered?.includes(shard.shard)) continue;
    const records = sinks.objects.get(shard.inputKey)!.split('\n').filter(Boolean);
    const out = records.map((line) => {
      const { recordId, modelInput } = JSON.parse(line) as { recordId: string; modelInput: unknown };
      return JSON.stringify({
        recordId,
        modelInput,
        modelOutput: {
          content: [{ type: 'text', text: `{"label": "${runId} ${recordId}"}` }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 10, output_tokens: 4 },
        },
      });
    });
    outputs.set(shard.shard, out.join('\n'));
  }
  const result = { csv: new StringSink(), jsonl: new StringSink(), errors: new StringSink() };
  const summary = await collectRun(
    {
      runId,
      pipeline: p,
      header: planHeader(JSON.parse(sinks.objects.get('plan.json')!))!,
      inputRows: plan.rows,
      shards: plan.shards.map((s) => ({
        shard: s.shard,
        records: s.records,
        job: {
          jobArn: `a/job${s.shard}`,
          status: options.unanswered?.includes(s.shard) ? 'Stopped' : 'Completed',
        },
      })),
      resultsPrefix: `results/qa/${runId}/`,
      createdAt: '2026-12-01T00:00:00Z',
      ...(options.previous
        ? { rerun: { previousRunId: options.previous.runId, lines: () => lines(options.previous!.jsonl) } }
        : {}),
    },
    {
      sidecarLines: (shard) => lines(sinks.objects.get(plan.shards.find((s) => s.shard === shard)!.rowsKey)),
      outputLines: (shard) => lines(outputs.get(shard)),
      manifest: async () => ({}),
      rejectedLines: () => lines(sinks.objects.get(plan.rejectedKey)),
    },
    new MemorySpillStore(),
    result,
  );
  return { plan, summary, csv: result.csv.text(), jsonl: result.jsonl.text() };
}

describe('carry-over merge', () => {
  it('sends only the rows that were not ok and publishes complete results in input order', async () => {
    const first = await oneRun('run-1', { unanswered: [2] });
    expect(first.summary.counts).toEqual({ input: 5, ok: 2, error: 0, rejected: 1, missing: 2 });

    const second = await oneRun('run-1-r2', { previous: { runId: 'run-1', jsonl: first.jsonl } });
    expect(second.plan).toMatchObject({
      rows: 5,
      records: 2,
      rejected: 1,
      rerun: { previousRunId: 'run-1', reused: 2 },
    });
    expect(second.summary.counts).toEqual({ input: 5, ok: 4, error: 0, rejected: 1, missing: 0 });
    expect(second.summary.rerun).toEqual({ previousRunId: 'run-1', reusedRows: 2 });
    // Only what this run sent is counted and priced.
    expect(second.summary.tokens).toEqual({ input: 20, output: 8 });

    const rows = second.jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.row, r.status, r.reused_from])).toEqual([
      [1, 'ok', 'run-1'],
      [2, 'ok', 'run-1'],
      [3, 'ok', undefined],
      [4, 'rejected', undefined],
      [5, 'ok', undefined],
    ]);
    expect(rows[2]!.fields).toEqual({ label: 'run-1-r2 r000000003' });

    // A carried row is the same line as before: byte for byte in results.csv, plus `reused_from` in results.jsonl.
    const firstCsv = first.csv.split('\r\n');
    const secondCsv = second.csv.split('\r\n');
    expect(secondCsv.slice(0, 3)).toEqual(firstCsv.slice(0, 3));
    const firstJsonl = first.jsonl.trim().split('\n');
    const secondJsonl = second.jsonl.trim().split('\n');
    expect(secondJsonl[0]).toBe(`${firstJsonl[0]!.slice(0, -1)},"reused_from":"run-1"}`);

    // A re-run of the re-run keeps the run that produced each answer.
    const third = await oneRun('run-1-r3', { previous: { runId: 'run-1-r2', jsonl: second.jsonl } });
    const thirdRows = third.jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(thirdRows.map((r) => r.reused_from)).toEqual([
      'run-1',
      'run-1',
      'run-1-r2',
      undefined,
      'run-1-r2',
    ]);
    expect(third.plan.records).toBe(0);
  });
});

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { collectRun } from '../../../lambda/core/collect/run';
import { StringSink } from '../../../lambda/core/collect/sink';
import { MemorySpillStore } from '../../../lambda/core/collect/spill';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { planHeader } from '../../../lambda/core/jsonl/sidecar';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { prepare } from '../../../lambda/core/prepare/prepare';
import { pipeline } from './harness';

async function* bytes(text: string): AsyncGenerator<string> {
  yield text;
}

async function* lines(text: string | undefined): AsyncGenerator<string> {
  yield* (text ?? '').split('\n').filter(Boolean);
}

describe('Collect reads what Prepare writes', () => {
  it('round-trips the original cells byte for byte, in input order, with rejected rows in place', async () => {
    const csv = 'id,text\r\n1,"multi\nline, ""quoted"""\r\n2,=1+1\r\n3,too,many\r\n\r\n4,café ☕\r\n';
    const sinks = memorySinks();
    const p = pipeline({ promptTemplate: 'Say: {{text}}', minRecordsPerJob: 1, maxRecordsPerJob: 2 });
    const plan = await prepare(bytes(csv), { pipeline: p, sinks, keys: LOCAL_KEYS });
    expect(plan.shards.length).toBeGreaterThan(1);

    const outputs = new Map<number, string>();
    for (const shard of plan.shards) {
      const records = sinks.objects.get(shard.inputKey)!.split('\n').filter(Boolean).reverse();
      const out = records.map((line) => {
        const { recordId, modelInput } = JSON.parse(line) as { recordId: string; modelInput: unknown };
        const modelOutput = {
          content: [{ type: 'text', text: `answer ${recordId}` }],
          stop_reason: 'end_turn',
        };
        return JSON.stringify({
          recordId,
          modelInput,
          modelOutput: { ...modelOutput, usage: { input_tokens: 2, output_tokens: 1 } },
        });
      });
      outputs.set(shard.shard, out.join('\n'));
    }
    const result = { csv: new StringSink(), jsonl: new StringSink(), errors: new StringSink() };
    const summary = await collectRun(
      {
        runId: 'contract',
        pipeline: p,
        header: planHeader(JSON.parse(sinks.objects.get('plan.json')!))!,
        inputRows: plan.rows,
        shards: plan.shards.map((s) => ({
          shard: s.shard,
          records: s.records,
          job: { jobArn: `a/job${s.shard}`, status: 'Completed' },
        })),
        resultsPrefix: 'results/qa/contract/',
        createdAt: '2026-11-25T00:00:00Z',
      },
      {
        sidecarLines: (shard) =>
          lines(sinks.objects.get(plan.shards.find((s) => s.shard === shard)!.rowsKey)),
        outputLines: (shard) => lines(outputs.get(shard)),
        manifest: async () => ({}),
        rejectedLines: () => lines(sinks.objects.get(plan.rejectedKey)),
      },
      new MemorySpillStore(),
      result,
    );

    expect(summary.counts).toEqual({ input: 4, ok: 3, error: 0, rejected: 1, missing: 0 });
    const table = parse(result.csv.text()) as string[][];
    expect(table.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual([
      ['1', 'multi\nline, "quoted"', 'ok'],
      ['2', "'=1+1", 'ok'],
      ['3', 'too', 'rejected'],
      ['4', 'café ☕', 'ok'],
    ]);
    const jsonl = result.jsonl
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { input: Record<string, string> });
    expect(jsonl.map((r) => r.input.text)).toEqual(['multi\nline, "quoted"', '=1+1', 'too', 'café ☕']);
    expect(summary.warnings).toEqual([]);
  });
});

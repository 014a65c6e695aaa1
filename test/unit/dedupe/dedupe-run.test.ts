/** Prepare and Collect's cores together, with dedupe on: duplicate rows sent once, answered each. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { collectRun } from '../../../lambda/core/collect/run';
import { StringSink } from '../../../lambda/core/collect/sink';
import { MemorySpillStore } from '../../../lambda/core/collect/spill';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { MemoryCarryStore } from '../../../lambda/core/dedupe/carry-store';
import { planHeader } from '../../../lambda/core/jsonl/sidecar';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { prepare } from '../../../lambda/core/prepare/prepare';
import { pipeline } from '../collect/harness';

async function* bytes(text: string): AsyncGenerator<string> {
  yield text;
}

async function* lines(text: string | undefined): AsyncGenerator<string> {
  yield* (text ?? '').split('\n').filter(Boolean);
}

interface Row {
  row: number;
  record_id: string;
  status: string;
  output: string;
  input_tokens: number | null;
  output_tokens: number | null;
  duplicate_of_row?: number;
}

/** A carry store that counts the most items Collect keeps in it at once. */
class CountingCarryStore extends MemoryCarryStore {
  private held = 0;
  most = 0;
  override put(bytes: Uint8Array): number {
    this.most = Math.max(this.most, ++this.held);
    return super.put(bytes);
  }
  override release(ref: number): void {
    this.held--;
    super.release(ref);
  }
}

/** Prepares `csv`, answers every record (10 input and 3 output tokens) except in `unanswered` shards, collects. */
async function runBoth(csv: string, options: { dedupe: boolean; unanswered?: number[] }) {
  const sinks = memorySinks();
  const p = pipeline({ promptTemplate: 'Say: {{text}}', maxRecordsPerJob: 2, dedupe: options.dedupe });
  const plan = await prepare(bytes(csv), { pipeline: p, sinks, keys: LOCAL_KEYS });
  const outputs = new Map<number, string>();
  for (const shard of plan.shards) {
    if (options.unanswered?.includes(shard.shard)) continue;
    const records = sinks.objects.get(shard.inputKey)!.split('\n').filter(Boolean);
    const out = records.map((line) => {
      const { recordId, modelInput } = JSON.parse(line) as { recordId: string; modelInput: unknown };
      const text = JSON.stringify(modelInput).includes('same') ? 'same answer' : `answer ${recordId}`;
      return JSON.stringify({
        recordId,
        modelInput,
        modelOutput: {
          content: [{ type: 'text', text }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 10, output_tokens: 3 },
        },
      });
    });
    outputs.set(shard.shard, out.join('\n'));
  }
  const result = { csv: new StringSink(), jsonl: new StringSink(), errors: new StringSink() };
  const carry = new CountingCarryStore();
  const summary = await collectRun(
    {
      runId: 'dedupe',
      pipeline: p,
      header: planHeader(JSON.parse(sinks.objects.get('plan.json')!))!,
      inputRows: plan.rows,
      shards: plan.shards.map((s) => ({
        shard: s.shard,
        records: s.records,
        job: {
          jobArn: `a/job${s.shard}`,
          status: options.unanswered?.includes(s.shard) ? 'Failed' : 'Completed',
        },
      })),
      resultsPrefix: 'results/qa/dedupe/',
      createdAt: '2026-12-01T00:00:00Z',
      ...(plan.dedupe
        ? {
            dedupe: {
              records: plan.records,
              lines: () => lines(sinks.objects.get(plan.dedupe!.key)),
              carry,
            },
          }
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
  const jsonl = result.jsonl
    .text()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);
  const csvRows = parse(result.csv.text(), { bom: true }) as string[][];
  return { plan, summary, jsonl, csvRows, sinks, carried: carry.most };
}

// Rows 1, 3, 6 and 7 render the same body; row 5 is rejected; 2 and 4 are distinct.
const CSV = 'id,text\n1,same\n2,other\n3,same\n4,third\n5,too,many\n6,same\n7,same\n';

describe('dedupe from Prepare to Collect', () => {
  it('sends identical requests once and gives every row the answer, its status and its token share', async () => {
    const { plan, summary, jsonl, csvRows, carried } = await runBoth(CSV, { dedupe: true });
    expect(plan).toMatchObject({ rows: 7, records: 3, rejected: 1, dedupe: { duplicates: 3, carried: 1 } });
    expect(carried).toBe(1);
    expect(plan.shards.map((s) => s.records)).toEqual([2, 1]);
    expect(summary.counts).toEqual({ input: 7, ok: 6, error: 0, rejected: 1, missing: 0 });
    expect(jsonl.map((r) => [r.row, r.status, r.output])).toEqual([
      [1, 'ok', 'same answer'],
      [2, 'ok', 'answer r000000002'],
      [3, 'ok', 'same answer'],
      [4, 'ok', 'answer r000000004'],
      [5, 'rejected', ''],
      [6, 'ok', 'same answer'],
      [7, 'ok', 'same answer'],
    ]);
    // 10 input tokens over 4 rows: 3, 3, 2, 2; 3 output tokens: 1, 1, 1, 0.
    const shared = jsonl.filter((r) => r.output === 'same answer');
    expect(shared.map((r) => [r.input_tokens, r.output_tokens])).toEqual([
      [3, 1],
      [3, 1],
      [2, 1],
      [2, 0],
    ]);
    expect(shared.map((r) => r.duplicate_of_row)).toEqual([undefined, 1, 1, 1]);
    expect(jsonl.map((r) => r.record_id)).toEqual([
      'r000000001',
      'r000000002',
      'r000000003',
      'r000000004',
      'r000000005',
      'r000000006',
      'r000000007',
    ]);
    expect(csvRows.slice(1).map((r) => [r[0], r[3], r[4], r[5]])).toEqual([
      ['1', 'ok', 'same answer', '3'],
      ['2', 'ok', 'answer r000000002', '10'],
      ['3', 'ok', 'same answer', '3'],
      ['4', 'ok', 'answer r000000004', '10'],
      ['5', 'rejected', '', ''],
      ['6', 'ok', 'same answer', '2'],
      ['7', 'ok', 'same answer', '2'],
    ]);
    // The row figures add up to what was billed.
    const rowInput = jsonl.reduce((n, r) => n + (r.input_tokens ?? 0), 0);
    expect(rowInput).toBe(summary.tokens.input);
    expect(summary.tokens).toEqual({ input: 30, output: 9 });
    expect(summary.dedupe).toEqual({
      duplicateRows: 3,
      savedTokens: { input: 30, output: 9 },
      // Haiku batch: $0.125 / $0.625 per million.
      savedUsd: Number(((30 * 0.125 + 9 * 0.625) / 1e6).toPrecision(12)),
    });
  });

  it('gives duplicate rows their record outcome when the record got none (missing in a later shard too)', async () => {
    const { summary, jsonl } = await runBoth(CSV, { dedupe: true, unanswered: [1] });
    expect(summary.counts).toEqual({ input: 7, ok: 1, error: 0, rejected: 1, missing: 5 });
    expect(jsonl.filter((r) => r.status === 'missing').map((r) => r.row)).toEqual([1, 2, 3, 6, 7]);
    expect(summary.dedupe?.duplicateRows).toBe(3);
    expect(summary.dedupe?.savedTokens).toEqual({ input: 0, output: 0 });
  });

  it('sends every row when dedupe is off', async () => {
    const { plan, summary, jsonl } = await runBoth(CSV, { dedupe: false });
    expect(plan.records).toBe(6);
    expect(plan.dedupe).toBeUndefined();
    expect(summary.dedupe).toBeUndefined();
    expect(summary.counts.ok).toBe(6);
    expect(jsonl.every((r) => r.duplicate_of_row === undefined)).toBe(true);
  });

  it("holds at once exactly the records plan.json's dedupe.carried says (groups far apart, and in turn)", async () => {
    const far = 'id,text\n1,same\n2,other\n3,third\n4,fourth\n5,other\n6,same\n7,third\n8,same\n';
    const spread = await runBoth(far, { dedupe: true });
    expect(spread.plan).toMatchObject({ records: 4, dedupe: { duplicates: 4, carried: 3 } });
    expect(spread.carried).toBe(3);
    expect(spread.summary.counts).toEqual({ input: 8, ok: 8, error: 0, rejected: 0, missing: 0 });
    const inTurn = 'id,text\n1,same\n2,same\n3,other\n4,other\n5,third\n6,fourth\n7,third\n';
    const adjacent = await runBoth(inTurn, { dedupe: true });
    expect(adjacent.plan).toMatchObject({ records: 4, dedupe: { duplicates: 3, carried: 1 } });
    expect(adjacent.carried).toBe(1);
    expect(adjacent.summary.counts).toEqual({ input: 7, ok: 7, error: 0, rejected: 0, missing: 0 });
  });
});

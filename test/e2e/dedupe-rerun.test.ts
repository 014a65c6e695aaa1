/** Issue 16 parts 1 and 2 on the local stack: identical requests sent once; re-runs of what failed. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalStack, runOnStack } from '../../local/runner';
import { LocalStacks, type RunFiles, reconcile, type Summary } from '../helpers/local-stack';

type FullSummary = Summary & {
  readonly cost: { batchUsd: number | null };
  readonly dedupe?: {
    duplicateRows: number;
    savedTokens: { input: number; output: number };
    savedUsd: number;
  };
  readonly rerun?: { previousRunId: string; reusedRows: number };
  readonly fingerprint?: { inputSha256: string; pipelineSha256: string };
};

const stacks = new LocalStacks();
afterAll(() => stacks.close());

/** 24 rows, ids q1..q24, whose questions repeat every 12 rows: 12 distinct model inputs. */
function repeatingCsv(): string {
  const rows = Array.from(
    { length: 24 },
    (_, i) => `q${i + 1},What is ${(i % 12) + 1} plus ${(i % 12) + 1}?`,
  );
  return `${['id,question', ...rows].join('\n')}\n`;
}

/** Records the emulator was sent, over every job it ran. */
async function recordsSent(stack: LocalStack): Promise<number> {
  return stack.bedrock.jobs().reduce((n, job) => n + job.totalRecordCount, 0);
}

/** Re-runs the run whose results are in `previous.dir`, as `bedrock-batch local --resume` does. */
async function rerun(stack: LocalStack, previous: RunFiles, csv: string, fileName: string) {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-rerun-'));
  const outcome = await runOnStack(stack, {
    body: csv,
    fileName,
    pipeline: 'shards',
    outDir: dir,
    resume: { previousRunId: previous.outcome.runId!, dir: previous.dir },
  });
  const text = async (name: string) =>
    outcome.files[name] === undefined ? undefined : readFile(outcome.files[name] as string, 'utf8');
  const summary = await text('summary.json');
  const jsonl = (await text('results.jsonl')) ?? '';
  return {
    outcome,
    summary: summary === undefined ? undefined : (JSON.parse(summary) as FullSummary),
    jsonl: jsonl
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
    csv: (await text('results.csv')) ?? '',
  };
}

describe('identical requests are sent once (issue 16, part 1)', { timeout: 120_000 }, () => {
  it('at temperature 0: 12 records for 24 rows, every row ok with the answer, summary figures', async () => {
    const stack = await stacks.start();
    const run = await stacks.run(stack, repeatingCsv(), { pipeline: 'shards', fileName: 'repeats.csv' });

    expect(run.outcome.status).toBe('succeeded');
    const summary = run.summary as FullSummary;
    expect(summary.counts).toEqual({ input: 24, ok: 24, error: 0, rejected: 0, missing: 0 });
    expect(reconcile(summary)[1]).toBe(24);
    expect(await recordsSent(stack)).toBe(12);
    expect(run.rows.map((row) => row.id)).toEqual(Array.from({ length: 24 }, (_, i) => `q${i + 1}`));
    for (let i = 12; i < 24; i++) expect(run.rows[i]!.output).toBe(run.rows[i - 12]!.output);
    expect(summary.dedupe?.duplicateRows).toBe(12);
    expect(summary.dedupe?.savedTokens).toEqual(summary.tokens);
    expect(summary.dedupe?.savedUsd).toBeCloseTo(summary.cost.batchUsd!, 12);
    // Each row carries its share: the row figures add up to what was billed.
    const rowTokens = run.rows.reduce((n, row) => n + Number(row.input_tokens), 0);
    expect(rowTokens).toBe(summary.tokens.input);
  });

  it('above temperature 0 (dedupe off by default): all 24 rows are sent', async () => {
    const stack = await stacks.start();
    const run = await stacks.run(stack, repeatingCsv(), { pipeline: 'warm', fileName: 'warm.csv' });

    expect(run.outcome.status).toBe('succeeded');
    const summary = run.summary as FullSummary;
    expect(summary.counts.ok).toBe(24);
    expect(await recordsSent(stack)).toBe(24);
    expect(summary.dedupe).toBeUndefined();
  });
});

describe("dedupe's carried answers must fit Collect's /tmp", { timeout: 120_000 }, () => {
  // carry-bound.json: a shard of 500 records of up to 846,849 bytes (64,000 tokens) leaves room in the e2e
  // stack's 512 MiB for 133 carried answers (828 KiB slots) at once.
  const questions = Array.from({ length: 150 }, (_, i) => `What is ${i + 1} plus ${i + 1}?`);
  const csvOf = (asked: readonly string[]) =>
    `${['id,question', ...asked.map((question, i) => `q${i + 1},${question}`)].join('\n')}\n`;

  it('refuses 150 questions asked twice, the copy at the end, before any job, saying the MiB and the ways out', async () => {
    const stack = await stacks.start();
    const csv = csvOf([...questions, ...questions]);
    const run = await stacks.run(stack, csv, { pipeline: 'carry-bound', fileName: 'asked-twice.csv' });

    expect(run.outcome.status).toBe('failed');
    expect(run.outcome.error?.code).toBe('COLLECT_STORAGE_TOO_SMALL');
    expect(run.outcome.error?.message).toContain('keep up to 150 answers at once');
    expect(run.outcome.error?.message).toContain('gave it 512 MiB');
    expect(run.outcome.error?.message).toContain('"dedupe": false in pipeline "carry-bound"');
    expect(run.report).toMatchObject({ code: 'COLLECT_STORAGE_TOO_SMALL' });
    expect(stack.bedrock.jobs()).toHaveLength(0);
    expect(run.summary).toBeUndefined();
  });

  it('runs the same 300 rows with each question asked twice in a row: one answer carried at a time', async () => {
    const stack = await stacks.start();
    const csv = csvOf(questions.flatMap((question) => [question, question]));
    const run = await stacks.run(stack, csv, { pipeline: 'carry-bound', fileName: 'asked-in-turn.csv' });

    expect(run.outcome.status).toBe('succeeded');
    const summary = run.summary as FullSummary;
    expect(summary.counts).toEqual({ input: 300, ok: 300, error: 0, rejected: 0, missing: 0 });
    expect(await recordsSent(stack)).toBe(150);
    expect(summary.dedupe?.duplicateRows).toBe(150);
    for (let i = 0; i < 300; i += 2) expect(run.rows[i + 1]!.output).toBe(run.rows[i]!.output);
  });
});

describe('re-runs of what did not succeed (issue 16, part 2)', { timeout: 120_000 }, () => {
  const csv = `${['id,question', ...Array.from({ length: 10 }, (_, i) => `q${i + 1},What is ${i + 1} times 3?`)].join('\n')}\n`;

  it('after a PartiallyCompleted run, sends only the missing rows and ends with every row ok', async () => {
    const stack = await stacks.start({
      finalStatus: 'PartiallyCompleted',
      finalStatusTimes: 1,
      processedFraction: 0.5,
    });
    const first = await stacks.run(stack, csv, { pipeline: 'shards', fileName: 'partial.csv' });
    const firstSummary = first.summary as FullSummary;
    expect(firstSummary.counts.missing).toBe(5);
    expect(firstSummary.fingerprint?.inputSha256).toMatch(/^[0-9a-f]{64}$/);

    const second = await rerun(stack, first, csv, 'partial.csv');
    expect(second.outcome.error).toBeUndefined();
    expect(second.outcome.status).toBe('succeeded');
    expect(second.outcome.runId).toMatch(/^partial-r2-[0-9a-f]{12}$/);
    const summary = second.summary!;
    expect(summary.counts).toEqual({ input: 10, ok: 10, error: 0, rejected: 0, missing: 0 });
    expect(summary.rerun).toEqual({ previousRunId: first.outcome.runId, reusedRows: 5 });
    // The second job got the 5 missing rows only, and the cost counts only them.
    expect(stack.bedrock.jobs().map((job) => job.totalRecordCount)).toEqual([10, 5]);
    const sentRows = second.jsonl.filter((row) => row.reused_from === undefined);
    expect(sentRows).toHaveLength(5);
    expect(summary.tokens.input).toBe(sentRows.reduce((n, row) => n + Number(row.input_tokens), 0));
    // Carried rows: the same answers as before, marked with the run they came from, in input order.
    const before = new Map(first.rows.map((row) => [row.id, row]));
    const carried = second.jsonl.filter((row) => row.reused_from === first.outcome.runId);
    expect(carried).toHaveLength(5);
    for (const row of carried) {
      const input = row.input as Record<string, string>;
      expect(before.get(input.id!)?.status).toBe('ok');
      expect(row.output).toBe(before.get(input.id!)?.output);
    }
    expect(second.jsonl.map((row) => row.row)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    const rows = parse(second.csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.every((row) => row.status === 'ok')).toBe(true);
  });

  it('refuses a re-run after the input file changed, and sends nothing', async () => {
    const stack = await stacks.start({
      finalStatus: 'PartiallyCompleted',
      finalStatusTimes: 1,
      processedFraction: 0.5,
    });
    const first = await stacks.run(stack, csv, { pipeline: 'shards', fileName: 'changed.csv' });
    expect(first.summary?.counts.missing).toBe(5);
    const jobs = stack.bedrock.jobs().length;

    const changed = csv.replace('q3,What is 3 times 3?', 'q3,What is 3 times 4?');
    const second = await rerun(stack, first, changed, 'changed.csv');
    expect(second.outcome.status).toBe('failed');
    expect(second.outcome.error?.code).toBe('RERUN_REFUSED');
    expect(second.outcome.error?.message).toMatch(/The input file changed since run/);
    expect(stack.bedrock.jobs()).toHaveLength(jobs);
    expect(second.summary).toBeUndefined();
  });
});

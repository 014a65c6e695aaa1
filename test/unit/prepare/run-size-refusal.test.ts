/**
 * Prepare's run-size refusal as wired: the check gets the run's counts once every row is read, and a refusal
 * leaves no plan behind, so no job can start. A real refusal needs 45 GB of prompts, so the check here is the
 * real one over the counted prompt bytes scaled up by a billion (a module mock: this file runs in its own
 * process, vitest.config.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import { RunTooLargeError } from '../../../lambda/core/contract/errors';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { run, testPipeline } from './helpers';

const seen = vi.hoisted(() => [] as [number, number, number][]);

vi.mock('../../../lambda/core/collect/run-size', async (original) => {
  const real = await original<typeof import('../../../lambda/core/collect/run-size')>();
  return {
    ...real,
    checkRunSize: (rows: number, records: number, promptBytes: number) => {
      seen.push([rows, records, promptBytes]);
      real.checkRunSize(rows, records, promptBytes * 1e9);
    },
  };
});

describe("Prepare's run-size refusal", () => {
  it('checks the rows, records and prompt bytes it counted, and writes no plan when refused', async () => {
    const sinks = memorySinks();
    // Three rows, one rejected (a missing cell): two records, their prompts as the template renders them.
    const csv = 'Context,Response\nhello,hi there\nx\nshort,reply\n';
    const prompts = ['Client: hello\nTherapist: hi there', 'Client: short\nTherapist: reply'];
    const bytes = prompts.reduce((sum, prompt) => sum + Buffer.byteLength(prompt), 0);

    const refused = run(csv, testPipeline(), { sinks });

    await expect(refused).rejects.toThrow(RunTooLargeError);
    await expect(refused).rejects.toThrow(/Split the file into files of at most \d+ rows/);
    expect(seen[0]).toEqual([3, 2, bytes]);
    expect(sinks.objects.has('plan.json')).toBe(false);
    expect(sinks.aborted).toContain('rows/rejected.jsonl');
  });
});

import { describe, expect, it } from 'vitest';
import { RerunRefusedError } from '../../../lambda/core/contract/errors';
import { jobNameFor, runHashOf, runIdFor } from '../../../lambda/core/contract/run-id';
import { checkRerun, pipelineSha256 } from '../../../lambda/core/rerun/fingerprint';
import { rerunIdFor } from '../../../lambda/core/rerun/rerun-id';
import { rerunInput } from '../../../lambda/core/rerun/rerun-input';
import { RowSet } from '../../../lambda/core/rerun/row-set';
import { pipeline } from '../collect/harness';

describe('rerunIdFor', () => {
  it('derives a valid run id that counts re-runs and keeps a 12-hex hash at the end', () => {
    const first = runIdFor({ bucket: 'in', key: 'inbox/qa/Q3 report.csv', versionId: 'v1' });
    const second = rerunIdFor(first);
    expect(second).toMatch(/^Q3-report-r2-[0-9a-f]{12}$/);
    expect(rerunIdFor(second)).toMatch(/^Q3-report-r3-[0-9a-f]{12}$/);
    expect(rerunIdFor(first)).toBe(second);
    expect(runHashOf(second)).toBe(second.slice(-12));
    expect(jobNameFor(second, 1, 1).length).toBeLessThanOrEqual(63);
  });

  it('stays within 80 characters for the longest run ids', () => {
    const longest = runIdFor({ bucket: 'in', key: `inbox/qa/${'x'.repeat(200)}.csv`, etag: 'e' });
    expect(longest).toHaveLength(80);
    const next = rerunIdFor(longest);
    expect(next.length).toBeLessThanOrEqual(80);
    expect(next).toMatch(/^x+-r2-[0-9a-f]{12}$/);
  });
});

describe('rerunInput', () => {
  it('names the previous run and drops the version, so the object is read as it is now', () => {
    const input = rerunInput({
      runId: 'a-0123456789ab',
      pipeline: 'qa',
      source: { bucket: 'in', key: 'inbox/qa/a.csv', versionId: 'v1', etag: 'e' },
    });
    expect(input).toEqual({
      runId: rerunIdFor('a-0123456789ab'),
      pipeline: 'qa',
      source: { bucket: 'in', key: 'inbox/qa/a.csv' },
      rerunOf: 'a-0123456789ab',
    });
  });
});

describe('checkRerun', () => {
  const p = pipeline();
  const fingerprint = { inputSha256: 'a'.repeat(64), pipelineSha256: pipelineSha256(p) };
  const previous = { runId: 'run-1', fingerprint, counts: { input: 10, ok: 7 } };

  it('accepts the same pipeline and input', () => {
    expect(() => checkRerun(previous, { pipeline: p, inputSha256: 'a'.repeat(64) })).not.toThrow();
  });

  it.each([
    [
      'a changed input',
      previous,
      { pipeline: p, inputSha256: 'b'.repeat(64) },
      /The input file changed since run run-1/,
    ],
    [
      'a changed pipeline',
      previous,
      { pipeline: { ...p, maxTokens: 999 } },
      /The pipeline "qa" changed since run run-1/,
    ],
    ['nothing left to send', { ...previous, counts: { input: 10, ok: 10 } }, { pipeline: p }, /already ok/],
    ['a run without fingerprint', { runId: 'run-1' }, { pipeline: p }, /no fingerprint/],
  ])('refuses %s with one sentence', (_what, prev, current, message) => {
    let caught: unknown;
    try {
      checkRerun(prev, current);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RerunRefusedError);
    expect((caught as RerunRefusedError).code).toBe('RERUN_REFUSED');
    expect((caught as Error).message).toMatch(message);
  });
});

describe('RowSet', () => {
  it('holds row numbers, growing as needed', () => {
    const rows = new RowSet();
    for (const row of [1, 31, 32, 33, 100_000, 32]) rows.add(row);
    expect(rows.size).toBe(5);
    expect([1, 2, 31, 32, 33, 99_999, 100_000, 5_000_000].map((r) => rows.has(r))).toEqual([
      true,
      false,
      true,
      true,
      true,
      false,
      true,
      false,
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  COLLECT_PROMPT_LIMIT,
  COLLECT_TIMEOUT_SECONDS,
  checkRunSize,
} from '../../../lambda/core/collect/run-size';
import { codeForErrorName, RunTooLargeError } from '../../../lambda/core/contract/errors';
import { WHAT_TO_DO } from '../../../lambda/core/job/failure';

function refusal(rows: number, records: number, promptBytes: number): RunTooLargeError {
  try {
    checkRunSize(rows, records, promptBytes);
  } catch (error) {
    if (error instanceof RunTooLargeError) return error;
    throw error;
  }
  throw new Error('the run was not refused');
}

describe('the largest run one Collect can read', () => {
  it('is what Collect reads in 15 minutes at 50 MB/s: 45 GB of prompts', () => {
    expect(COLLECT_TIMEOUT_SECONDS).toBe(900);
    expect(COLLECT_PROMPT_LIMIT).toBe(45_000_000_000);
  });

  it('lets a run up to the limit through, however many rows it has', () => {
    expect(() => checkRunSize(250_000_000, 250_000_000, COLLECT_PROMPT_LIMIT)).not.toThrow();
    expect(() => checkRunSize(10, 10, 1_000)).not.toThrow();
  });

  it('refuses a run one byte over it with RUN_TOO_LARGE, its size and how to split it', () => {
    const error = refusal(2_000_000, 1_900_000, 50_000_000_000);
    expect(error.code).toBe('RUN_TOO_LARGE');
    expect(error.message).toContain('50.0 GB of prompts (1900000 records)');
    expect(error.message).toContain('45.0 GB');
    expect(error.message).toContain('Nothing was sent');
    // 15 GB of prompts a file: 2,000,000 rows x 15 / 50.
    expect(error.message).toContain('files of at most 600000 rows');
    expect(refusal(1, 1, COLLECT_PROMPT_LIMIT + 1).message).toContain('files of at most 1 rows');
  });

  it('reports the refusal with its own code and a sentence for the analyst', () => {
    expect(codeForErrorName('RunTooLargeError')).toBe('RUN_TOO_LARGE');
    expect(WHAT_TO_DO.RUN_TOO_LARGE).toMatch(/split the file into smaller files/);
  });
});

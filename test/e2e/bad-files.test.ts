import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runner';
import { E2E_MIN_RECORDS, LocalStacks, questionsCsv } from '../helpers/local-stack';

describe('bad input files end the run with a report and no Bedrock job', () => {
  const stacks = new LocalStacks();
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await stacks.start();
  });
  afterAll(() => stacks.close());

  it.each([
    ['an empty file', ''],
    ['a header-only file', 'id,question\n'],
  ])('fails %s with NO_RECORDS before any Bedrock call (row 4)', async (_name, csv) => {
    const jobsBefore = stack.bedrock.jobs().length;
    const run = await stacks.run(stack, csv, { fileName: `empty-${csv.length}.csv` });

    expect(run.outcome.status).toBe('failed');
    expect(run.outcome.error?.code).toBe('NO_RECORDS');
    expect(run.report).toMatchObject({ code: 'NO_RECORDS' });
    expect(stack.bedrock.jobs()).toHaveLength(jobsBefore);
    expect(stack.notifications.at(-1)?.state).toBe('Notify failure');
  });

  it('fails a file below the batch minimum with BELOW_MIN_RECORDS and the numbers, creating no job (row 5)', async () => {
    const jobsBefore = stack.bedrock.jobs().length;
    const run = await stacks.run(stack, questionsCsv(E2E_MIN_RECORDS - 2), { fileName: 'too-few.csv' });

    expect(run.outcome.error?.code).toBe('BELOW_MIN_RECORDS');
    expect(run.outcome.error?.message).toContain(String(E2E_MIN_RECORDS - 2));
    expect(run.outcome.error?.message).toContain(String(E2E_MIN_RECORDS));
    expect(run.report).toMatchObject({ code: 'BELOW_MIN_RECORDS' });
    expect(stack.bedrock.jobs()).toHaveLength(jobsBefore);
  });

  it('fails a file without the column the template needs with SCHEMA_MISMATCH, naming the missing one (row 13)', async () => {
    const jobsBefore = stack.bedrock.jobs().length;
    const csv = `id,query\n${Array.from({ length: 8 }, (_, i) => `q${i},text ${i}`).join('\n')}\n`;
    const run = await stacks.run(stack, csv, { fileName: 'renamed-column.csv' });

    expect(run.outcome.error?.code).toBe('SCHEMA_MISMATCH');
    expect(run.outcome.error?.message).toContain('"question"');
    expect(run.outcome.error?.message).toContain("the file's header (2 columns)");
    // The header is counted, not quoted: in a file without a header row it is the first row (row 45).
    expect(run.outcome.error?.message).not.toContain('query');
    expect(run.report).toMatchObject({ code: 'SCHEMA_MISMATCH', retryable: false });
    expect(stack.bedrock.jobs()).toHaveLength(jobsBefore);
  });
});

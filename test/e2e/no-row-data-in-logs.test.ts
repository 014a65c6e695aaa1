import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runner';
import { LocalStacks, questionsCsv } from '../helpers/local-stack';

/** A string that can only come from the CSV's cells. */
const MARKER = 'zq7-PLANTED-CELL-TEXT-4f1c';

/** Handlers log at DEBUG and publish their metrics, so every line they can write is captured. */
const VERBOSE = { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_DISABLED: 'false' };

/** 14 questions carrying the marker, plus one ragged row (rejected) carrying it too. */
const markedCsv = questionsCsv(0, [
  ...Array.from({ length: 14 }, (_, i) => `q${i + 1},"What is ${i + 1}, asks ${MARKER}?"`),
  `q15,${MARKER},${MARKER}`,
]);

/** Everything written to stdout and stderr while capturing (swallowed, so the test output stays clean). */
class OutputCapture {
  private readonly chunks: string[] = [];
  private readonly originals = { out: process.stdout.write, err: process.stderr.write };

  start(): void {
    const record = (chunk: unknown) => {
      this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return true;
    };
    process.stdout.write = record as typeof process.stdout.write;
    process.stderr.write = record as typeof process.stderr.write;
  }

  stop(): void {
    process.stdout.write = this.originals.out;
    process.stderr.write = this.originals.err;
  }

  text(): string {
    return this.chunks.join('');
  }
}

/** The execution events (state inputs and outputs), execution records and notifications of a stack. */
function historyOf(stack: LocalStack, events: unknown[]): string {
  return JSON.stringify({ events, executions: stack.sfn.executions(), notifications: stack.notifications });
}

describe('no row text in logs, metrics or execution history (test-matrix row 45)', () => {
  const stacks = new LocalStacks();
  const capture = new OutputCapture();
  let events: unknown[];
  let unsubscribe: () => void = () => undefined;

  beforeEach(() => {
    events = [];
  });
  afterEach(() => {
    capture.stop();
    unsubscribe();
  });
  afterAll(() => stacks.close());

  async function runCaptured(stack: LocalStack, csv = markedCsv) {
    unsubscribe = stack.onEvent((event) => events.push(event));
    capture.start();
    try {
      return await stacks.run(stack, csv, { fileName: 'marked.csv' });
    } finally {
      capture.stop();
    }
  }

  it('keeps the marker out of every log line and state while results.csv has it', async () => {
    const stack = await stacks.start(
      { recordErrorRate: 0.2, seed: 3, finalStatus: 'PartiallyCompleted', finalStatusTimes: 1 },
      { environment: VERBOSE },
    );
    const run = await runCaptured(stack);
    const logs = capture.text();
    const history = historyOf(stack, events);

    expect(run.outcome.status).toBe('succeeded');
    expect(run.summary?.counts.rejected).toBe(1);
    expect(run.summary?.counts.ok).toBeLessThan(14);
    expect(run.resultsCsv).toContain(MARKER);
    expect(logs).toContain('"message":"Results published"');
    expect(logs).toContain(`"runId":"${run.outcome.runId}"`);
    expect(logs).toContain('"Namespace":"BedrockBatchPipeline"');
    expect(events.length).toBeGreaterThan(20);
    expect(history).toContain('Notify success');
    expect(logs).not.toContain(MARKER);
    expect(history).not.toContain(MARKER);
  });

  it('keeps the marker out of the logs, the failure report and the history of a failed run', async () => {
    const stack = await stacks.start(
      { finalStatus: 'Failed', failureMessage: 'Model access is not enabled.' },
      { environment: VERBOSE },
    );
    const run = await runCaptured(stack);
    const logs = capture.text();
    const history = historyOf(stack, events);

    expect(run.outcome.status).toBe('failed');
    expect(run.outcome.error?.code).toBe('JOB_FAILED');
    expect(run.resultsCsv).toContain(MARKER);
    expect(logs).toContain('"message":"Failure recorded"');
    expect(history).toContain('Notify failure');
    expect(JSON.stringify(run.report)).not.toContain(MARKER);
    expect(logs).not.toContain(MARKER);
    expect(history).not.toContain(MARKER);
  });

  it("keeps the marker out of a refused file's failure, whose first row Prepare read as the header", async () => {
    const stack = await stacks.start({}, { environment: VERBOSE });
    // No header row: the first line is data, with the marker in both cells, and a name repeated.
    const headerless = `${MARKER},${MARKER}\nq1,What is 1?\n`;
    const run = await runCaptured(stack, headerless);
    const logs = capture.text();
    const history = historyOf(stack, events);

    expect(run.outcome.status).toBe('failed');
    expect(run.outcome.error?.code).toBe('SCHEMA_MISMATCH');
    expect(run.outcome.error?.message).toContain('columns 1 and 2 have the same name');
    expect(history).toContain('Notify failure');
    expect(JSON.stringify(run.report)).not.toContain(MARKER);
    expect(logs).not.toContain(MARKER);
    expect(history).not.toContain(MARKER);
  });
});

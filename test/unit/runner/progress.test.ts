import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../../local/runner/execution';
import { historyEventsFor } from '../../../local/runner/history';
import { formatDuration, ProgressReporter } from '../../../local/runner/progress';

const entered = (name: string, index?: number): ExecutionEvent => ({
  type: 'StateEntered',
  timestamp: 0,
  ...(index === undefined ? {} : { index }),
  state: { name, type: name.endsWith('job') ? 'Task' : 'Pass', input: {} },
});
const checked = (status: string, processed: number): ExecutionEvent => ({
  type: 'StateExited',
  timestamp: 0,
  index: 0,
  state: {
    name: 'Check job',
    type: 'Task',
    input: {},
    output: {
      shard: 2,
      job: {
        status,
        counters: { processedRecordCount: processed, totalRecordCount: 10, errorRecordCount: 1 },
      },
    },
  },
});

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, columns: 200, write: (text: string) => chunks.push(text) } };
}

describe('progress of a local run', () => {
  it('writes one plain line per state entered and per job change when not on a terminal', () => {
    const { chunks, out } = capture(false);
    const progress = new ProgressReporter(out);
    for (const event of [
      entered('Prepare input'),
      entered('Wait for job', 0),
      checked('InProgress', 5),
      checked('InProgress', 5),
      checked('Completed', 10),
    ]) {
      progress.onEvent(event);
    }
    progress.finish();

    expect(chunks.map((line) => line.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'Prepare input\n',
      'shard 2: InProgress, 5/10 records processed, 1 record errors\n',
      'shard 2: Completed, 10/10 records processed, 1 record errors\n',
    ]);
  });

  it('names a failed task and the Fail state that ends the run, each once', () => {
    const { chunks, out } = capture(false);
    const progress = new ProgressReporter(out);
    const failed = (name: string, type: string): ExecutionEvent =>
      ({
        type: 'StateFailed',
        timestamp: 0,
        Error: 'NoRecordsError',
        state: { name, type, input: {} },
      }) as never;
    progress.onEvent(failed('Prepare input', 'Task'));
    progress.onEvent(failed('Run failed', 'Fail'));
    progress.finish();

    expect(chunks.map((line) => line.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'Prepare input failed: NoRecordsError\n',
      'Run failed: NoRecordsError\n',
    ]);
  });

  it('rewrites one live line on a terminal and clears it at the end', () => {
    const { chunks, out } = capture(true);
    const progress = new ProgressReporter(out);
    progress.onEvent(entered('Run batch jobs'));
    progress.onEvent(checked('InProgress', 5));
    progress.finish();

    expect(chunks.every((chunk) => chunk.startsWith('\r\x1b[K'))).toBe(true);
    expect(chunks.at(-2)).toMatch(/Run batch jobs \| #2 InProgress 5\/10$/);
    expect(chunks.at(-1)).toBe('\r\x1b[K');
  });

  it('formats durations for people', () => {
    expect([formatDuration(1234), formatDuration(125_000), formatDuration(3 * 3_600_000 + 60_000)]).toEqual([
      '1.2s',
      '2m 05s',
      '3h 01m',
    ]);
  });

  it('counts a Lambda task as five history events, as Step Functions records them', () => {
    const task = entered('Check job', 0);
    const exited: ExecutionEvent = { ...task, type: 'StateExited' };
    expect(historyEventsFor(task) + historyEventsFor(exited)).toBe(5);
    expect(historyEventsFor({ type: 'StateCaught', timestamp: 0 })).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { endedRun } from '../../../lambda/core/job/ended-run';

const RUN_ID = 'Q3-report-0123456789ab';

describe('endedRun', () => {
  it('gives the run hash for an execution that ended without succeeding', () => {
    for (const status of ['ABORTED', 'TIMED_OUT', 'FAILED']) {
      expect(endedRun({ status, name: RUN_ID })).toEqual({ status, runId: RUN_ID, hash: '0123456789ab' });
    }
  });

  it('prefers the run id in the execution input to the execution name', () => {
    const input = JSON.stringify({ runId: 'other-fedcba987654' });
    expect(endedRun({ status: 'FAILED', name: RUN_ID, input }).hash).toBe('fedcba987654');
  });

  it('falls back to the name when the input is not JSON or has no run id', () => {
    expect(endedRun({ status: 'ABORTED', name: RUN_ID, input: '{not json' }).runId).toBe(RUN_ID);
    expect(endedRun({ status: 'ABORTED', name: RUN_ID, input: '{"runId":7}' }).runId).toBe(RUN_ID);
  });

  it('gives no hash for a succeeded or running execution, a malformed run id, or no detail', () => {
    expect(endedRun({ status: 'SUCCEEDED', name: RUN_ID })).toEqual({ status: 'SUCCEEDED', runId: RUN_ID });
    expect(endedRun({ status: 'RUNNING', name: RUN_ID }).hash).toBeUndefined();
    expect(endedRun({ status: 'FAILED', name: 'no-hash-here' })).toEqual({
      status: 'FAILED',
      runId: 'no-hash-here',
    });
    expect(endedRun(undefined)).toEqual({ status: undefined, runId: undefined });
  });
});

import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../../local/runner/run';
import { formatOutcome } from '../../../local/runner/summary';

const outcome: RunOutcome = {
  status: 'succeeded',
  runId: 'questions-0123456789ab',
  pipeline: 'qa',
  files: { 'summary.json': '/out/summary.json' },
  executions: 1,
  historyEvents: 40,
  simulatedMs: 4 * 60_000,
  largestState: { bytes: 1331, where: 'Collect results output' },
};

const summary = {
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  counts: { input: 5, ok: 5, error: 0, rejected: 0, missing: 0 },
  tokens: { input: 1000, output: 200 },
  cost: { batchUsd: 0.000375, onDemandUsd: 0.00075 },
  jobs: [{}],
};

describe('the closing report of a local run', () => {
  it('names the batch jobs and both prices for a batch run, and the workflow figures', () => {
    const lines = formatOutcome(outcome, { ...summary, mode: 'batch' }, '/out', 2_000);
    expect(lines).toContain('  model:   anthropic.claude-3-haiku-20240307-v1:0 in 1 batch job(s)');
    expect(lines).toContain('  cost:    $0.0004 batch vs $0.0008 on demand');
    expect(lines).toContain(
      '  workflow: 4m 00s simulated, largest state 1.3 KiB of 256 KiB (Collect results output)',
    );
  });

  it('says an on-demand run had no batch job and prices it on demand only', () => {
    const lines = formatOutcome(
      outcome,
      { ...summary, mode: 'on-demand', jobs: [{}], cost: { batchUsd: null, onDemandUsd: 0.00075 } },
      '/out',
      2_000,
    );
    expect(lines).toContain(
      '  model:   anthropic.claude-3-haiku-20240307-v1:0 on demand (below the batch minimum, no batch job)',
    );
    expect(lines).toContain('  cost:    $0.0008 on demand');
    expect(lines.join('\n')).not.toMatch(/batch job\(s\)|n\/a/);
  });

  it('never prints a real cost as $0.0000', () => {
    const tiny = { ...summary, mode: 'on-demand' as const, cost: { batchUsd: null, onDemandUsd: 0.0000123 } };
    expect(formatOutcome(outcome, tiny, '/out', 2_000)).toContain('  cost:    $0.000012 on demand');
  });

  it('names report.html on its own line when the run wrote one, and not otherwise', () => {
    const withReport = { ...outcome, files: { ...outcome.files, 'report.html': '/out/report.html' } };
    expect(formatOutcome(withReport, { ...summary, mode: 'batch' }, '/out', 2_000)).toContain(
      '  report:  /out/report.html',
    );
    const lines = formatOutcome(outcome, { ...summary, mode: 'batch' }, '/out', 2_000);
    expect(lines.some((line) => line.startsWith('  report:'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { JOB_RUNNING_HOURS, METRICS_NAMESPACE, RUN_METRICS } from '../../../lambda/core/contract/metrics';
import type { CollectOutput } from '../../../lambda/core/contract/types';
import {
  createMetrics,
  publishJobRunningHours,
  publishRunMetrics,
  recordRunMetrics,
} from '../../../lambda/io/telemetry';
import { captureStdout } from './capture';

const run = { runId: 'q3-report-0123456789ab', pipeline: 'qa', recordsSubmitted: 140 };

function output(cost: CollectOutput['cost']): CollectOutput {
  return {
    runId: run.runId,
    resultsBucket: 'results',
    resultsPrefix: 'results/qa/q3-report-0123456789ab/',
    counts: { input: 150, ok: 130, error: 6, rejected: 10, missing: 4 },
    tokens: { input: 52_000, output: 9_100 },
    cost,
  };
}

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

describe('run metrics', () => {
  it('publishes every run metric as EMF, by service alone and by service + pipeline', () => {
    const [line] = captureStdout(() =>
      publishRunMetrics(createMetrics(), run, output({ batchUsd: 0.0123, onDemandUsd: 0.0246 })),
    ) as unknown as Emf[];
    const directive = line!._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([['service'], ['service', 'pipeline']]);
    expect(directive.Metrics.map((m) => m.Name).sort()).toEqual(Object.values(RUN_METRICS).sort());
    expect(line).toMatchObject({
      service: 'bedrock-batch-pipeline',
      pipeline: 'qa',
      runId: run.runId,
      [RUN_METRICS.rowsIn]: 150,
      [RUN_METRICS.recordsSubmitted]: 140,
      [RUN_METRICS.rowsOk]: 130,
      [RUN_METRICS.rowsError]: 6,
      [RUN_METRICS.rowsRejected]: 10,
      [RUN_METRICS.rowsMissing]: 4,
      [RUN_METRICS.inputTokens]: 52_000,
      [RUN_METRICS.outputTokens]: 9_100,
      [RUN_METRICS.batchCostUsd]: 0.0123,
      [RUN_METRICS.onDemandCostUsd]: 0.0246,
    });
  });

  it('leaves the cost out when the model has no price, and never makes the run id a dimension', () => {
    const metrics = createMetrics();
    recordRunMetrics(metrics, run, output({ batchUsd: null, onDemandUsd: null }));
    const emf = metrics.serializeMetrics() as unknown as Emf;
    const names = emf._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name);
    expect(names).not.toContain(RUN_METRICS.batchCostUsd);
    expect(names).not.toContain(RUN_METRICS.onDemandCostUsd);
    expect(emf._aws.CloudWatchMetrics[0]!.Dimensions.flat()).not.toContain('runId');
  });
});

describe('job running hours', () => {
  it('publishes the hours since submission', () => {
    const [line] = captureStdout(() =>
      publishJobRunningHours(
        createMetrics(),
        run,
        '2026-01-01T00:00:00.000Z',
        new Date('2026-01-02T06:30:00.000Z'),
      ),
    ) as unknown as Emf[];
    expect(line!._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).toEqual([JOB_RUNNING_HOURS]);
    expect(line![JOB_RUNNING_HOURS]).toBe(30.5);
    expect(line!.pipeline).toBe('qa');
  });

  it('publishes nothing for an unreadable submission time', () => {
    const lines = captureStdout(() => publishJobRunningHours(createMetrics(), run, 'not a date', new Date()));
    expect(lines).toEqual([]);
  });
});

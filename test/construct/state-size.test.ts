/**
 * Issue 13, item 1: the execution state does not grow with the shards. The synthesized state machine
 * runs on the local interpreter (with Step Functions' 256 KiB limit enforced) over 5,000 shards, its
 * tasks replaced by stubs that take and return what the real handlers do for such a run. A real run of
 * 5,000 jobs through the emulator takes far too long for the suite; the state sizes depend only on the
 * definition and on what the tasks return, which these stubs reproduce at full size.
 */
import { describe, expect, it } from 'vitest';
import { JobRejectedError } from '../../lambda/core/contract/errors';
import type { FailureReport } from '../../lambda/core/contract/failure-types';
import type { JobState } from '../../lambda/core/contract/job-types';
import { planKey } from '../../lambda/core/contract/layout';
import type {
  CollectOutput,
  JobRecordInput,
  PreparedRun,
  RetryState,
  SubmitJobInput,
} from '../../lambda/core/contract/types';
import { resultKeyOf } from '../../lambda/core/job/shard-input';
import { SimulatedClock } from '../../local/runner/clock';
import { prepareLauncher } from '../../local/runner/execution';
import type { LargestState } from '../../local/runner/state-size';
import type { AslDefinition, LocalTask } from '../../local/runner/tasks';
import { defaultStack } from './fixture';

const SHARDS = 5000;
/** The ceiling this design keeps to, a quarter of Step Functions' limit. */
const CEILING = 64 * 1024;

const local = defaultStack();
const RUN_ID = 'q3-report-0123456789ab';
const input = {
  runId: RUN_ID,
  pipeline: 'qa-auditor',
  source: { bucket: 'input-bucket', key: 'inbox/qa-auditor/q3 report.csv', versionId: 'v1' },
};
const numbers = Array.from({ length: SHARDS }, (_, i) => i + 1);

const prepared: PreparedRun = {
  runId: RUN_ID,
  pipeline: 'qa-auditor',
  modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
  invocationType: 'InvokeModel',
  timeoutHours: 168,
  rows: SHARDS * 50_000,
  records: SHARDS * 50_000,
  rejected: 0,
  minRecordsPerJob: 100,
  belowMinimum: false,
  mode: 'batch',
  shardNumbers: numbers,
  planKey: planKey(RUN_ID),
  deadline: null,
};

function jobState(item: SubmitJobInput, outcome: JobState['outcome']): JobState {
  return {
    jobArn: 'arn:aws:bedrock:us-east-1:111122223333:model-invocation-job/k3x9q2m7w1ab',
    jobName: `${RUN_ID}-s${item.shard}-a1`,
    attempt: 1,
    submittedAt: '2026-11-25T12:00:00.000Z',
    status: outcome === 'done' ? 'Completed' : 'Submitted',
    outcome,
    waitSeconds: 60,
    checks: 3,
    unknownChecks: 0,
    counters: {
      totalRecordCount: 50_000,
      processedRecordCount: 50_000,
      successRecordCount: 49_990,
      errorRecordCount: 10,
    },
  };
}

const collected: CollectOutput = {
  runId: RUN_ID,
  resultsBucket: 'results-bucket',
  resultsPrefix: `results/qa-auditor/${RUN_ID}/`,
  counts: { input: SHARDS * 50_000, ok: SHARDS * 50_000, error: 0, rejected: 0, missing: 0 },
  tokens: { input: 1e10, output: 1e9 },
  cost: { batchUsd: 1234.5, onDemandUsd: 2469 },
};

const failureReport: FailureReport = {
  runId: RUN_ID,
  code: 'JOB_REJECTED',
  message: 'Bedrock refused the job.',
  whatToDo: 'Ask the platform team.',
  cause: 'Bedrock refused the job. Ask the platform team.',
  reportBucket: 'results-bucket',
  reportKey: `results/qa-auditor/${RUN_ID}/report.json`,
};

interface Scenario {
  /** Submit job's answer for one item. */
  readonly submit: (item: SubmitJobInput) => JobState;
  readonly retry: RetryState;
  readonly collect: CollectOutput;
}

/** Runs the synthesized definition over `SHARDS` shards with stub tasks; Map concurrency unbounded. */
async function run(scenario: Scenario) {
  const definition = JSON.parse(JSON.stringify(local.definition)) as AslDefinition;
  for (const state of Object.values(definition.States) as { Type: string; MaxConcurrency?: number }[]) {
    if (state.Type === 'Map') state.MaxConcurrency = 0;
  }
  const recorded = new Map<string, JobRecordInput>();
  const entered = new Set<string>();
  const task =
    (fn: (payload: never) => unknown): LocalTask =>
    async (payload) =>
      fn(payload as never);
  const record = task((payload: JobRecordInput) => {
    recorded.set(resultKeyOf(payload), payload);
    return {};
  });
  const tasks: Record<string, LocalTask> = {
    'Prepare input': task(() => prepared),
    'Submit job': task(scenario.submit),
    'Submit retry job': task(scenario.submit),
    'Check job': task((payload: { input: SubmitJobInput }) => jobState(payload.input, 'done')),
    'Check retry job': task((payload: { input: SubmitJobInput }) => jobState(payload.input, 'done')),
    'Record job result': record,
    'Record retry job result': record,
    'Plan retry': task(() => scenario.retry),
    'Collect results': task(() => scenario.collect),
    'Record failure': task(() => failureReport),
    'Notify success': task(() => ({ MessageId: 'm-1' })),
    'Notify failure': task(() => ({ MessageId: 'm-2' })),
  };
  const largestStates = new Map<string, LargestState>();
  const launch = await prepareLauncher({
    definition,
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:size',
    clock: new SimulatedClock(),
    tasks,
    largestStates,
    waitMs: 0,
    onEvent: (event) => {
      if (event.type === 'StateEntered' && event.state) entered.add(event.state.name);
    },
  });
  const outcome = await launch({ name: RUN_ID, arn: `arn:execution:${RUN_ID}`, input }).result.then(
    () => undefined,
    (error: Error) => error,
  );
  const largest = largestStates.get(RUN_ID)!;
  console.info(`largest state of ${SHARDS} shards: ${largest.bytes} bytes (${largest.where})`);
  return { outcome, entered, recorded, largest };
}

describe(`the execution state of a ${SHARDS.toLocaleString('en')}-shard run`, () => {
  it('stays under 64 KiB through both rounds when every shard is retried in batch', async () => {
    const retry: RetryState = {
      mode: 'batch',
      selected: SHARDS * 50_000,
      byReason: { throttled: SHARDS * 50_000 },
      items: numbers,
    };
    const { outcome, entered, recorded, largest } = await run({
      submit: (item) => jobState(item, 'running'),
      retry,
      collect: collected,
    });

    expect(outcome).toBeUndefined();
    expect(entered.has('Run succeeded')).toBe(true);
    expect(entered.has('Retry batch jobs')).toBe(true);
    expect(recorded.size).toBe(2 * SHARDS);
    expect(recorded.get(`runs/${RUN_ID}/jobs/shard-5000.json`)?.result).toMatchObject({
      shard: 5000,
      status: 'Completed',
    });
    expect(recorded.get(`runs/${RUN_ID}/jobs/retry-5000.json`)?.round).toBe(2);
    expect(largest.bytes).toBeGreaterThan(SHARDS * 5);
    expect(largest.bytes, largest.where).toBeLessThan(CEILING);
  }, 300_000);

  it('stays under 64 KiB when every shard fails, each failure with its full error', async () => {
    const cause = JSON.stringify({
      errorType: JobRejectedError.name,
      errorMessage: `Bedrock refused the job: ${'x'.repeat(900)}`,
    });
    const { outcome, entered, recorded, largest } = await run({
      submit: () => {
        const error = new Error(cause);
        error.name = JobRejectedError.name;
        throw error;
      },
      retry: { mode: 'none', selected: 0, byReason: {}, items: [] },
      collect: { ...collected, failure: { Error: JobRejectedError.name, Cause: cause } },
    });

    expect(outcome?.name, outcome?.message).toBe('JOB_REJECTED');
    expect(entered.has('Jobs failed')).toBe(true);
    expect(recorded.size).toBe(SHARDS);
    expect(recorded.get(`runs/${RUN_ID}/jobs/shard-0001.json`)?.result).toMatchObject({
      shard: 1,
      error: { Error: JobRejectedError.name },
    });
    expect(largest.bytes, largest.where).toBeLessThan(CEILING);
  }, 300_000);
});

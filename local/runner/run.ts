/**
 * One run on a local stack, started the way AWS starts it: the CSV is put under `inbox/<pipeline>/`, S3's
 * "Object Created" event goes through SQS to the real Start run handler, which starts the execution
 * through the Step Functions endpoint. The results files are then downloaded to the output folder.
 */

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSBatchResponse } from 'aws-lambda';
import { INBOX_PREFIX, RESULT_FILES, resultsPrefix } from '../../lambda/core/contract/layout';
import { rerunIdFor } from '../../lambda/core/rerun/rerun-id';
import { startRun } from '../../lambda/io/sfn';
import { objectCreatedEvent, sqsEvent } from './event';
import type { ExecutionEvent } from './execution';
import { HistoryCounter } from './history';
import { downloadResults } from './results';
import type { LocalExecution } from './sfn-endpoint';
import type { LocalStack } from './stack';
import type { LargestState } from './state-size';

/** What to run. */
interface RunRequest {
  /** The CSV bytes. */
  readonly body: Uint8Array | string;
  /** The file name under `inbox/<pipeline>/`. */
  readonly fileName: string;
  readonly pipeline: string;
  /** Where the results files go. */
  readonly outDir: string;
  /** How many times the same event is delivered (S3 and SQS deliver at least once). @default 1 */
  readonly deliveries?: number;
  /** Called with each execution event. */
  readonly onEvent?: (event: ExecutionEvent) => void;
  /**
   * A re-run of an earlier local run: its id and its results folder (summary.json, results.jsonl),
   * which are put in the ResultsBucket where a deployed re-run finds them; the execution is then
   * started as `bedrock-batch rerun` starts it (no inbox event).
   */
  readonly resume?: { readonly previousRunId: string; readonly dir: string };
}

/** How a local run ended. */
export interface RunOutcome {
  readonly status: 'succeeded' | 'failed';
  readonly runId?: string;
  readonly pipeline: string;
  readonly executionArn?: string;
  /** On failure: the code (the Fail state's error) and the message. */
  readonly error?: { readonly code: string; readonly message: string };
  /** Result file name → local path, for the files the run wrote. */
  readonly files: Readonly<Record<string, string>>;
  /** Executions the event(s) started. */
  readonly executions: number;
  /** Execution history events, counted as Step Functions would record them. */
  readonly historyEvents: number;
  /** The largest state input or output of the run, against Step Functions' 256 KiB limit. */
  readonly largestState?: LargestState;
  /** Milliseconds the run took on the simulated clock (the waits and job phases, never machine time). */
  readonly simulatedMs: number;
  /** The EventBridge event that was delivered (to deliver it again). */
  readonly event?: unknown;
}

/**
 * Runs one CSV through the stack; runs on one stack must not overlap. Rejects with the function's
 * `FunctionLoadError` when a function's bundle could not be loaded (a broken assembly, not a run outcome).
 */
export async function runOnStack(stack: LocalStack, request: RunRequest): Promise<RunOutcome> {
  const history = new HistoryCounter();
  const started: LocalExecution[] = [];
  const startedAt = stack.clock.now();
  const unsubscribe = stack.onEvent((event) => {
    history.add(event);
    request.onEvent?.(event);
  });
  const before = new Set(stack.sfn.executions().map((execution) => execution.arn));
  try {
    const key = `${INBOX_PREFIX}${request.pipeline}/${basename(request.fileName)}`;
    const put = await stack.s3.send(
      new PutObjectCommand({
        Bucket: stack.buckets.INPUT_BUCKET,
        Key: key,
        Body: request.body,
        // Given, so an empty file is not taken for a stream of unknown length (the SDK's warning).
        ContentLength: Buffer.byteLength(request.body),
      }),
    );
    if (request.resume !== undefined) {
      await startRerun(stack, request, key, put);
    }
    const event = objectCreatedEvent(
      {
        bucket: stack.buckets.INPUT_BUCKET,
        key,
        size: typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.byteLength,
        ...(put.ETag === undefined ? {} : { etag: put.ETag }),
        ...(put.VersionId === undefined ? {} : { versionId: put.VersionId }),
      },
      stack.region,
      new Date(stack.clock.now()),
    );
    if (request.resume === undefined) {
      await deliver(stack, event, request.deliveries ?? 1).catch((error: unknown) => {
        throw stack.loadFailure() ?? error;
      });
    }
    for (const execution of stack.sfn.executions()) if (!before.has(execution.arn)) started.push(execution);
    const execution = started[0];
    if (execution === undefined) {
      return failed(request, 'NOT_STARTED', 'Start run accepted the event but started no execution', 0);
    }
    await execution.done;
    await stack.settled(execution.arn);
    const unloadable = stack.loadFailure();
    if (unloadable !== undefined) throw unloadable;
    const files = await downloadResults(stack, request.pipeline, execution.name, request.outDir);
    const base = {
      event,
      runId: execution.name,
      pipeline: request.pipeline,
      executionArn: execution.arn,
      files,
      executions: started.length,
      historyEvents: history.count,
      simulatedMs: stack.clock.now() - startedAt,
      ...optional('largestState', stack.largestState(execution.name)),
    };
    if (execution.status === 'SUCCEEDED') return { status: 'succeeded', ...base };
    return {
      status: 'failed',
      ...base,
      error: { code: execution.error ?? execution.status, message: execution.cause ?? '' },
    };
  } finally {
    unsubscribe();
  }
}

/** Puts the previous run's results where the re-run reads them and starts the re-run's execution. */
async function startRerun(
  stack: LocalStack,
  request: RunRequest,
  key: string,
  put: { ETag?: string; VersionId?: string },
): Promise<void> {
  const { previousRunId, dir } = request.resume!;
  const prefix = resultsPrefix(request.pipeline, previousRunId);
  for (const name of [RESULT_FILES.summary, RESULT_FILES.jsonl]) {
    await stack.s3.send(
      new PutObjectCommand({
        Bucket: stack.buckets.RESULTS_BUCKET,
        Key: `${prefix}${name}`,
        Body: await readFile(join(dir, name)),
      }),
    );
  }
  const sfn = new SFNClient({
    endpoint: stack.sfn.endpoint,
    region: stack.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await startRun(sfn, stack.stateMachineArn, {
      runId: rerunIdFor(previousRunId),
      pipeline: request.pipeline,
      source: {
        bucket: stack.buckets.INPUT_BUCKET,
        key,
        ...(put.ETag === undefined ? {} : { etag: put.ETag }),
        ...(put.VersionId === undefined ? {} : { versionId: put.VersionId }),
      },
      rerunOf: previousRunId,
    });
  } finally {
    sfn.destroy();
  }
}

/** Delivers the event to the real Start run handler, once per delivery, as one-message SQS batches. */
export async function deliver(stack: LocalStack, event: unknown, deliveries = 1): Promise<void> {
  const queueArn = `arn:aws:sqs:${stack.region}:000000000000:bedrock-batch-inbox`;
  for (let i = 0; i < deliveries; i += 1) {
    const response = (await stack.invoke(
      'start-run',
      sqsEvent([event], queueArn, stack.region),
    )) as SQSBatchResponse | null;
    const failures = response?.batchItemFailures ?? [];
    if (failures.length > 0) {
      throw new Error(
        `Start run could not start the run (${failures.length} message(s) left for redelivery)`,
      );
    }
  }
}

function failed(request: RunRequest, code: string, message: string, executions: number): RunOutcome {
  return {
    status: 'failed',
    pipeline: request.pipeline,
    error: { code, message },
    files: {},
    executions,
    historyEvents: 0,
    simulatedMs: 0,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

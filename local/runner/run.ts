/**
 * One run on a local stack, started the way AWS starts it: the CSV is put under `inbox/<pipeline>/`, S3's
 * "Object Created" event goes through SQS to the real Start run handler, which starts the execution
 * through the Step Functions endpoint. The results files are then downloaded to the output folder.
 */
import { basename } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse } from 'aws-lambda';
import { INBOX_PREFIX } from '../../lambda/core/layout';
import type { LocalExecution } from '../sfn-endpoint';
import { objectCreatedEvent, sqsEvent } from './event';
import type { ExecutionEvent } from './execution';
import { HistoryCounter } from './history';
import { invokeLocal } from './lambda';
import { downloadResults } from './results';
import { shiftGlobalDate } from './shifted-date';
import type { LocalStack } from './stack';

/** What to run. */
export interface RunRequest {
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
  /** Milliseconds the run took on the simulated clock (real time plus compressed waits). */
  readonly simulatedMs: number;
  /** The EventBridge event that was delivered (to deliver it again). */
  readonly event?: unknown;
}

/**
 * Runs one CSV through the stack. Handler variables and the shifted `Date` are in place only while
 * the run lasts; runs on one stack must not overlap.
 */
export async function runOnStack(stack: LocalStack, request: RunRequest): Promise<RunOutcome> {
  const saved = applyEnvironment(stack.environment);
  const restoreDate = shiftGlobalDate(() => stack.clock.skew);
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
      new PutObjectCommand({ Bucket: stack.buckets.INPUT_BUCKET, Key: key, Body: request.body }),
    );
    const event = objectCreatedEvent(
      {
        bucket: stack.buckets.INPUT_BUCKET,
        key,
        size: typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.byteLength,
        ...(put.ETag === undefined ? {} : { etag: put.ETag }),
        ...(put.VersionId === undefined ? {} : { versionId: put.VersionId }),
      },
      stack.region,
      new Date(),
    );
    await deliver(stack, event, request.deliveries ?? 1);
    for (const execution of stack.sfn.executions()) if (!before.has(execution.arn)) started.push(execution);
    const execution = started[0];
    if (execution === undefined) {
      return failed(request, 'NOT_STARTED', 'Start run accepted the event but started no execution', 0);
    }
    await execution.done;
    await stack.settled(execution.arn);
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
    };
    if (execution.status === 'SUCCEEDED') return { status: 'succeeded', ...base };
    return {
      status: 'failed',
      ...base,
      error: { code: execution.error ?? execution.status, message: execution.cause ?? '' },
    };
  } finally {
    unsubscribe();
    restoreDate();
    restoreEnvironment(saved);
  }
}

/** Delivers the event to the real Start run handler, once per delivery, as one-message SQS batches. */
export async function deliver(stack: LocalStack, event: unknown, deliveries = 1): Promise<void> {
  const queueArn = `arn:aws:sqs:${stack.region}:000000000000:bedrock-batch-inbox`;
  const saved = applyEnvironment(stack.environment);
  try {
    await deliverEach(event, deliveries, queueArn, stack.region);
  } finally {
    restoreEnvironment(saved);
  }
}

async function deliverEach(
  event: unknown,
  deliveries: number,
  queueArn: string,
  region: string,
): Promise<void> {
  for (let i = 0; i < deliveries; i += 1) {
    const response = (await invokeLocal('start-run', sqsEvent([event], queueArn, region), {
      functionName: 'StartRun',
      environment: {},
      timeoutMs: 30_000,
    })) as SQSBatchResponse | null;
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

function applyEnvironment(variables: Readonly<Record<string, string>>): Map<string, string | undefined> {
  const cleared = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SNS'];
  const saved = new Map<string, string | undefined>();
  for (const name of [...cleared, ...Object.keys(variables)]) saved.set(name, process.env[name]);
  for (const name of cleared) delete process.env[name];
  Object.assign(process.env, variables);
  return saved;
}

/** Puts back the variables as they were before the run, and removes those a handler call added. */
function restoreEnvironment(saved: Map<string, string | undefined>): void {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

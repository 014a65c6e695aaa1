/**
 * Event and state factories for handler tests: S3 "Object Created" events as EventBridge delivers
 * them through SQS (keys form-encoded the way S3 writes them), and the small Step Functions payloads.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { CaughtError, JobState } from '../../lambda/core/contract/job-types';
import { encodeEventKey } from '../../lambda/core/contract/run-id';
import type { ShardRef, SubmitJobInput } from '../../lambda/core/contract/types';

/** The object an event is about; `key` is the real (decoded) key. */
export interface ObjectCreatedOptions {
  readonly bucket?: string;
  readonly key: string;
  readonly versionId?: string;
  readonly etag?: string;
  readonly size?: number;
  /** Use this exact text as `detail.object.key` instead of encoding `key`. */
  readonly rawKey?: string;
}

/** An EventBridge "Object Created" event from S3, as SQS carries it in a message body. */
export function objectCreatedEvent(options: ObjectCreatedOptions): Record<string, unknown> {
  const bucket = options.bucket ?? 'input-bucket';
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '111122223333',
    time: '2026-11-25T12:00:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: {
        key: options.rawKey ?? encodeEventKey(options.key),
        size: options.size ?? 1024,
        etag: options.etag ?? 'b1946ac92492d2347c6235b4d2611184',
        ...(options.versionId === undefined ? {} : { 'version-id': options.versionId }),
        sequencer: '617f08299329d189',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '111122223333',
      'source-ip-address': '1.2.3.4',
      reason: 'PutObject',
    },
  };
}

/** One SQS record whose body is `body` (an object is serialized, a string is used as is). */
export function sqsRecord(body: unknown, messageId: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764072000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1764072000000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:start-run',
    awsRegion: 'us-east-1',
  };
}

/** An SQS event with one record per body; message ids are `m1`, `m2`, ... */
export function sqsEvent(...bodies: unknown[]): SQSEvent {
  return { Records: bodies.map((body, i) => sqsRecord(body, `m${i + 1}`)) };
}

/** A shard reference for run `runId`. */
export function shardRef(runId: string, shard = 1): ShardRef {
  const name = `shard-${String(shard).padStart(4, '0')}`;
  return {
    shard,
    inputKey: `runs/${runId}/batch-input/${name}.jsonl`,
    rowsKey: `runs/${runId}/rows/${name}.jsonl`,
    records: 500,
    bytes: 250_000,
  };
}

/** A Submit job input (one Map item). */
export function submitJobInput(overrides: Partial<SubmitJobInput> = {}): SubmitJobInput {
  const runId = overrides.runId ?? 'Q3-report-0123456789ab';
  return {
    runId,
    pipeline: 'qa-auditor',
    modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
    invocationType: 'InvokeModel',
    timeoutHours: 72,
    shard: 1,
    ...overrides,
  };
}

/** A job as Submit job leaves it. */
export function jobState(overrides: Partial<JobState> = {}): JobState {
  return {
    jobArn: 'arn:aws:bedrock:us-east-1:111122223333:model-invocation-job/k3x9q2m7w1ab',
    jobName: 'Q3-report-0123456789ab-s1-a1',
    attempt: 1,
    submittedAt: '2026-11-25T12:00:00.000Z',
    status: 'Submitted',
    outcome: 'running',
    waitSeconds: 60,
    checks: 0,
    unknownChecks: 0,
    counters: { totalRecordCount: 0, processedRecordCount: 0, successRecordCount: 0, errorRecordCount: 0 },
    ...overrides,
  };
}

/**
 * The error a Catch hands over for a Lambda task that threw: `Cause` is the JSON string the Node.js
 * runtime writes (`errorType`, `errorMessage`, `trace`).
 */
export function lambdaCaught(errorType: string, errorMessage: string): CaughtError {
  return {
    Error: errorType,
    Cause: JSON.stringify({
      errorType,
      errorMessage,
      trace: [
        `${errorType}: ${errorMessage}`,
        '    at prepare (file:///var/task/index.mjs:1:2345)',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      ],
    }),
  };
}

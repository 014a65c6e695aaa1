/**
 * Start run: reads S3 "Object Created" events (EventBridge → SQS), derives the run id from the
 * object's identity and starts the workflow with that name. Reports SQS partial batch failures.
 */
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseInboxKey } from '../core/contract/layout';
import { type CreatedObject, readObjectEvent } from '../core/contract/object-event';
import { eventKeyCandidates, runIdFor } from '../core/contract/run-id';
import type { RunInput } from '../core/contract/types';
import { optionalEnv, requireEnv } from '../io/config';
import { isNotFound } from '../io/s3';
import { startRun } from '../io/sfn';
import { createLogger, traced } from '../io/telemetry';

const logger = createLogger('start-run');

/** What one SQS message asks for. */
type Request =
  | { readonly kind: 'start'; readonly input: RunInput }
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Clients a batch shares. */
interface Clients {
  readonly sfn: SFNClient;
  readonly s3: S3Client;
}

/**
 * The first candidate key that exists. Only keys holding a `+` have two candidates; when the object
 * cannot be looked at (no permission, a fault) the documented form decoding wins.
 */
async function existingKey(s3: S3Client, object: CreatedObject, candidates: string[]): Promise<string> {
  for (const key of candidates) {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: object.bucket, Key: key, VersionId: object.versionId }));
      return key;
    } catch (error) {
      if (!isNotFound(error)) {
        logger.warn('Could not look up the object; using the form-decoded key', {
          error: (error as Error)?.name,
        });
        break;
      }
    }
  }
  return candidates[0] as string;
}

async function readRequest(s3: S3Client, body: string, inputBucket: string | undefined): Promise<Request> {
  const event = readObjectEvent(body);
  if (event.kind !== 'object') return event;
  const { object } = event;
  if (inputBucket !== undefined && object.bucket !== inputBucket) {
    return { kind: 'ignore', reason: 'not the input bucket' };
  }
  const candidates = eventKeyCandidates(object.encodedKey);
  const [first] = candidates;
  if (first === undefined)
    return { kind: 'malformed', reason: 'detail.object.key is not valid URL encoding' };
  const notInbox = { kind: 'ignore', reason: 'not an inbox/<pipeline>/<file>.csv key' } as const;
  if (parseInboxKey(first) === undefined) return notInbox;
  const key = candidates.length === 1 ? first : await existingKey(s3, object, candidates);
  const inbox = parseInboxKey(key);
  if (inbox === undefined) return notInbox;
  const { versionId, etag } = object;
  const source = {
    bucket: object.bucket,
    key,
    ...(versionId ? { versionId } : {}),
    ...(etag ? { etag } : {}),
  };
  return { kind: 'start', input: { runId: runIdFor(source), pipeline: inbox.pipeline, source } };
}

async function handleRecord(clients: Clients, stateMachineArn: string, record: SQSRecord): Promise<boolean> {
  const request = await readRequest(clients.s3, record.body, optionalEnv('INPUT_BUCKET'));
  if (request.kind === 'ignore') {
    logger.info('Ignored event', { messageId: record.messageId, reason: request.reason });
    return true;
  }
  if (request.kind === 'malformed') {
    logger.error('Malformed event: left for the dead-letter queue', {
      messageId: record.messageId,
      reason: request.reason,
    });
    return false;
  }
  const { input } = request;
  try {
    const outcome = await startRun(clients.sfn, stateMachineArn, input);
    logger.info(outcome === 'started' ? 'Run started' : 'Run already started (duplicate event)', {
      messageId: record.messageId,
      runId: input.runId,
      pipeline: input.pipeline,
      key: input.source.key,
    });
    return true;
  } catch (error) {
    logger.warn('Could not start the run: the message will be delivered again', {
      messageId: record.messageId,
      runId: input.runId,
      error: (error as Error)?.name,
    });
    return false;
  }
}

/** SQS handler: every record either starts (or had started) a run, is ignored, or is reported failed. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const stateMachineArn = requireEnv('STATE_MACHINE_ARN');
  const clients = { sfn: traced(new SFNClient({})), s3: traced(new S3Client({})) };
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of event.Records) {
    if (!(await handleRecord(clients, stateMachineArn, record))) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

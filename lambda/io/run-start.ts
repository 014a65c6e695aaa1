/**
 * The edge of Start run: reads one S3 "Object Created" message, looks the object up when its key has two
 * possible decodings, and starts the workflow named after the run id (lambda/core/contract/run-id.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSRecord } from 'aws-lambda';
import { parseInboxKey } from '../core/contract/layout';
import { type CreatedObject, readObjectEvent } from '../core/contract/object-event';
import { eventKeyCandidates, runIdFor } from '../core/contract/run-id';
import type { RunInput } from '../core/contract/types';
import { optionalEnv } from './config';
import { isNotFound } from './s3';
import { startRun } from './sfn';

/** What one SQS message asks for. */
type Request =
  | { readonly kind: 'start'; readonly input: RunInput }
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Clients a batch shares. */
export interface StartClients {
  readonly sfn: SFNClient;
  readonly s3: S3Client;
}

/**
 * The first candidate key that exists. Only keys holding a `+` have two candidates; when the object
 * cannot be looked at (no permission, a fault) the documented form decoding wins.
 */
async function existingKey(
  s3: S3Client,
  object: CreatedObject,
  candidates: string[],
  logger: Logger,
): Promise<string> {
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

async function readRequest(
  s3: S3Client,
  body: string,
  inputBucket: string | undefined,
  logger: Logger,
): Promise<Request> {
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
  const key = candidates.length === 1 ? first : await existingKey(s3, object, candidates, logger);
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

/**
 * Starts the run one SQS record asks for. `true` when the record is done with (started, already started,
 * or ignored), `false` when it must be delivered again or left for the dead-letter queue.
 */
export async function handleRecord(
  clients: StartClients,
  stateMachineArn: string,
  record: SQSRecord,
  logger: Logger,
): Promise<boolean> {
  const request = await readRequest(clients.s3, record.body, optionalEnv('INPUT_BUCKET'), logger);
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

/**
 * Stop jobs: when a run's execution ends without succeeding (aborted by an operator, timed out, or
 * failed while other shards were still running), stops the run's Bedrock jobs that are still queued
 * or running, so no billed job is left orphaned. Triggered by an EventBridge rule on
 * "Step Functions Execution Status Change" (ABORTED, TIMED_OUT, FAILED).
 */

import type { EventBridgeEvent } from 'aws-lambda';
import { type DestinationRecord, originalEvent } from '../core/contract/replayed-event';
import { runHashOf } from '../core/contract/run-id';
import { listActiveJobs, stopJob } from '../io/bedrock';
import { bedrockClient } from '../io/clients';
import { createLogger } from '../io/telemetry';

const logger = createLogger('stop-jobs');

/** The part of the Step Functions status-change event this handler reads. */
export interface ExecutionStatusDetail {
  readonly name?: string;
  readonly status?: string;
  readonly input?: string | null;
}

const ENDED_WITHOUT_SUCCESS = new Set(['ABORTED', 'TIMED_OUT', 'FAILED']);

function runIdOf(detail: ExecutionStatusDetail): string | undefined {
  try {
    const input: unknown = detail.input ? JSON.parse(detail.input) : undefined;
    const runId = (input as { runId?: unknown } | undefined)?.runId;
    if (typeof runId === 'string') return runId;
  } catch {
    // the execution name is the run id too
  }
  return detail.name;
}

/** The event EventBridge sends. */
export type StatusChangeEvent = EventBridgeEvent<
  'Step Functions Execution Status Change',
  ExecutionStatusDetail
>;

/**
 * EventBridge handler: returns how many jobs were asked to stop. It also takes the body of a message from
 * the StopJobsFailures queue as it is (a destination record or the event), so a failed event is replayed
 * with `aws lambda invoke --payload <body>` (docs/operator.md).
 */
export async function handler(received: StatusChangeEvent | DestinationRecord): Promise<{ stopped: number }> {
  const event = originalEvent<StatusChangeEvent>(received);
  const { status } = event.detail ?? {};
  const runId = event.detail ? runIdOf(event.detail) : undefined;
  const hash = runId === undefined ? undefined : runHashOf(runId);
  if (status === undefined || !ENDED_WITHOUT_SUCCESS.has(status) || hash === undefined) {
    logger.info('Nothing to stop', { status, runId });
    return { stopped: 0 };
  }
  const bedrock = bedrockClient(5);
  const arns = await listActiveJobs(bedrock, hash);
  let stopped = 0;
  for (const jobArn of arns) {
    if (await stopJob(bedrock, jobArn)) stopped += 1;
  }
  logger.info("Stopped the run's remaining jobs", { runId, status, found: arns.length, stopped });
  return { stopped };
}

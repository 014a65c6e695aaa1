/**
 * Stop jobs: when a run's execution ends without succeeding (aborted by an operator, timed out, or
 * failed while other shards were still running), stops the run's Bedrock jobs that are still queued
 * or running, so no billed job is left orphaned. Triggered by an EventBridge rule on
 * "Step Functions Execution Status Change" (ABORTED, TIMED_OUT, FAILED).
 */

import type { EventBridgeEvent } from 'aws-lambda';
import { type DestinationRecord, originalEvent } from '../core/contract/replayed-event';
import { type ExecutionStatusDetail, endedRun } from '../core/job/ended-run';
import { bedrockClient } from '../io/clients';
import { stopRunJobs } from '../io/stop-run-jobs';
import { createLogger } from '../io/telemetry';

const logger = createLogger('stop-jobs');

export type { ExecutionStatusDetail } from '../core/job/ended-run';

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
  const { status, runId, hash } = endedRun(event.detail);
  if (hash === undefined) {
    logger.info('Nothing to stop', { status, runId });
    return { stopped: 0 };
  }
  const { found, stopped } = await stopRunJobs(bedrockClient(5), hash);
  logger.info("Stopped the run's remaining jobs", { runId, status, found, stopped });
  return { stopped };
}

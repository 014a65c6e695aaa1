/**
 * Start run: reads S3 "Object Created" events (EventBridge → SQS), derives the run id from the
 * object's identity and starts the workflow with that name. Reports SQS partial batch failures.
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { s3Client, sfnClient } from '../io/clients';
import { requireEnv } from '../io/config';
import { handleRecord } from '../io/run-start';
import { createLogger } from '../io/telemetry';

const logger = createLogger('start-run');

/** SQS handler: every record either starts (or had started) a run, is ignored, or is reported failed. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const stateMachineArn = requireEnv('STATE_MACHINE_ARN');
  const clients = { sfn: sfnClient(), s3: s3Client() };
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of event.Records) {
    if (!(await handleRecord(clients, stateMachineArn, record, logger))) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

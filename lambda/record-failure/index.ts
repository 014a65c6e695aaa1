/**
 * Record failure: writes `report.json` (code, message, what to do) under the run's results prefix, and
 * `report.html` when Collect did not already write one with the results, and tags the analyst's object
 * as failed. Tagging is best effort: it never hides the report.
 */

import type { FailureReport, RecordFailureInput } from '../core/contract/failure-types';
import { failureTags } from '../core/contract/source-tags';
import { describeFailure } from '../core/job/failure';
import { failureCause } from '../core/job/failure-report';
import { s3Client } from '../io/clients';
import { requireEnv } from '../io/config';
import { writeFailureReport } from '../io/failure-report-files';
import { tagSource } from '../io/source-tags';
import { bindRun, createLogger } from '../io/telemetry';

const logger = createLogger('record-failure');

/** Step Functions task handler: returns where the report is, its code, message and what to do. */
export async function handler(input: RecordFailureInput): Promise<FailureReport> {
  const reportBucket = requireEnv('RESULTS_BUCKET');
  const s3 = s3Client();
  bindRun(logger, { runId: input.runId, pipeline: input.pipeline });
  try {
    const failure = describeFailure(input.error, input.prepared);
    const failedAt = new Date().toISOString();
    const reportKey = await writeFailureReport(s3, reportBucket, input, failure, failedAt);
    logger.info('Failure recorded', { code: failure.code, error: input.error.Error, reportKey });
    const tags = failureTags(input.runId, failure.code);
    await tagSource(s3, input.source, tags, logger, 'the report is written anyway');
    const { code, message, whatToDo } = failure;
    const cause = failureCause(failure);
    return { runId: input.runId, code, message, whatToDo, cause, reportBucket, reportKey };
  } finally {
    logger.resetKeys();
  }
}

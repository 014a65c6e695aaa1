/**
 * The files Record failure writes under the run's results prefix: `report.json` (code, message, what
 * to do) always, and `report.html` only when Collect did not already write one with the results.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { RecordFailureInput } from '../core/contract/failure-types';
import { RESULT_FILES, resultsPrefix } from '../core/contract/layout';
import type { FailureDescription } from '../core/job/failure';
import { failureReport } from '../core/job/failure-report';
import { renderReport, reportFromFailure } from '../core/report';
import { putReport } from './report';
import { putJson } from './s3';

/** Writes the run's failure report to `bucket`, stamped `failedAt` (ISO 8601); returns `report.json`'s key. */
export async function writeFailureReport(
  s3: S3Client,
  bucket: string,
  input: RecordFailureInput,
  failure: FailureDescription,
  failedAt: string,
): Promise<string> {
  const prefix = resultsPrefix(input.pipeline, input.runId);
  const reportKey = `${prefix}${RESULT_FILES.report}`;
  await putJson(s3, bucket, reportKey, failureReport(input, failure, failedAt));
  if (input.results === undefined) {
    const { runId, pipeline, prepared } = input;
    const data = reportFromFailure({ runId, pipeline, failure, prepared, at: failedAt });
    await putReport(s3, bucket, `${prefix}${RESULT_FILES.html}`, renderReport(data));
  }
  return reportKey;
}

/**
 * Record failure: writes `report.json` (code, message, what to do) under the run's results prefix, and
 * `report.html` when Collect did not already write one with the results, and tags the analyst's object
 * as failed. Tagging is best effort: it never hides the report.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { describeFailure } from '../core/failure';
import { RESULT_FILES, resultsPrefix } from '../core/layout';
import { renderReport, reportFromFailure } from '../core/report';
import type { FailureReport, RecordFailureInput, SourceObject } from '../core/types';
import { requireEnv } from '../io/config';
import { putReport } from '../io/report';
import { addObjectTags, putJson } from '../io/s3';
import { bindRun, createLogger, traced } from '../io/telemetry';

const logger = createLogger('record-failure');

/** The tags that mark the analyst's object as failed. */
export function failureTags(runId: string, code: string): Record<string, string> {
  return { 'bedrock-batch:status': 'failed', 'bedrock-batch:run-id': runId, 'bedrock-batch:error': code };
}

async function tagSource(s3: S3Client, source: SourceObject, tags: Record<string, string>): Promise<void> {
  try {
    if ((await addObjectTags(s3, source, tags)) === 'no-room') {
      logger.warn('Input object not tagged: it already has too many tags of its own');
    }
  } catch (error) {
    logger.warn('Could not tag the input object; the report is written anyway', {
      error: (error as Error)?.name,
    });
  }
}

/** Step Functions task handler: returns where the report is, its code, message and what to do. */
export async function handler(input: RecordFailureInput): Promise<FailureReport> {
  const resultsBucket = requireEnv('RESULTS_BUCKET');
  const s3 = traced(new S3Client({}));
  bindRun(logger, { runId: input.runId, pipeline: input.pipeline });
  try {
    const { code, message, whatToDo } = describeFailure(input.error, input.prepared);
    const prefix = resultsPrefix(input.pipeline, input.runId);
    const reportKey = `${prefix}${RESULT_FILES.report}`;
    const failedAt = new Date().toISOString();
    await putJson(s3, resultsBucket, reportKey, {
      runId: input.runId,
      pipeline: input.pipeline,
      source: input.source,
      status: 'failed',
      code,
      message,
      whatToDo,
      ...(input.prepared
        ? { rows: input.prepared.rows, records: input.prepared.records, rejected: input.prepared.rejected }
        : {}),
      ...(input.results
        ? {
            results: {
              bucket: input.results.resultsBucket,
              prefix: input.results.resultsPrefix,
              counts: input.results.counts,
            },
          }
        : {}),
      failedAt,
    });
    if (input.results === undefined) {
      const { runId, pipeline, prepared } = input;
      const data = reportFromFailure({
        runId,
        pipeline,
        failure: { code, message, whatToDo },
        prepared,
        at: failedAt,
      });
      await putReport(s3, resultsBucket, `${prefix}${RESULT_FILES.html}`, renderReport(data));
    }
    logger.info('Failure recorded', { code, error: input.error.Error, reportKey });
    await tagSource(s3, input.source, failureTags(input.runId, code));
    const cause = `${/[.!?]$/.test(message) ? message : `${message}.`} What to do: ${whatToDo}`;
    return { runId: input.runId, code, message, whatToDo, cause, reportBucket: resultsBucket, reportKey };
  } finally {
    logger.resetKeys();
  }
}

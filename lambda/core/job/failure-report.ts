/** The failed run's `report.json` and the one-line cause the execution fails with. */
import type { RecordFailureInput } from '../contract/failure-types';
import type { FailureDescription } from './failure';

/** The body of `report.json`: the failure, the source, and the counts that were known when it failed. */
export function failureReport(
  input: RecordFailureInput,
  failure: FailureDescription,
  failedAt: string,
): Record<string, unknown> {
  const { prepared, results } = input;
  return {
    runId: input.runId,
    pipeline: input.pipeline,
    source: input.source,
    status: 'failed',
    code: failure.code,
    message: failure.message,
    whatToDo: failure.whatToDo,
    retryable: failure.retryable,
    ...(prepared ? { rows: prepared.rows, records: prepared.records, rejected: prepared.rejected } : {}),
    ...(results
      ? { results: { bucket: results.resultsBucket, prefix: results.resultsPrefix, counts: results.counts } }
      : {}),
    failedAt,
  };
}

/** `<message>. What to do: <whatToDo>`: the cause the execution fails with. */
export function failureCause(failure: FailureDescription): string {
  const { message, whatToDo } = failure;
  return `${/[.!?]$/.test(message) ? message : `${message}.`} What to do: ${whatToDo}`;
}

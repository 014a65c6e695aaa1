/**
 * Turns the error Step Functions caught into what a person reads: a stable code, the message, and
 * one sentence saying what to do about it.
 */
import { codeForErrorName } from '../contract/errors';
import type { CaughtError } from '../contract/job-types';
import type { PreparedRun } from '../contract/types';

/** What to do, by failure code. */
export const WHAT_TO_DO: Readonly<Record<string, string>> = {
  NOT_CSV:
    'Export the data as a comma-separated text file (.csv), not a spreadsheet or archive, and upload it again.',
  INVALID_ENCODING: 'Save the file as UTF-8 (for example "CSV UTF-8" in Excel) and upload it again.',
  INVALID_CSV:
    'Fix the CSV at the line named in the message (usually a quote that is never closed) and upload it again.',
  UNEXPECTED_DELIMITER: 'Save the file with commas as the separator and upload it again.',
  NO_RECORDS: 'The file has no data rows: check that you exported the right sheet, then upload it again.',
  SCHEMA_MISMATCH:
    'Rename or add the columns the pipeline needs (listed in the message) in the header row and upload it again.',
  TOO_MANY_REJECTED_ROWS:
    'Too many rows were malformed: fix the rows listed in errors.csv (wrong number of cells, oversized cells) and upload again.',
  BELOW_MIN_RECORDS:
    'Batch jobs need more records than the file has: combine it with other files, or ask the platform team to run it on demand.',
  SOURCE_MISSING:
    'The file was deleted or replaced before the run could read it: upload it again if it is still needed.',
  INVALID_XLSX:
    'Open the file in Excel and save it again as "Excel Workbook (.xlsx)", or export the sheet as CSV UTF-8, then upload it again.',
  XLSX_ENCRYPTED:
    'Remove the password (File > Info > Protect Workbook in Excel), save, and upload the workbook again.',
  XLS_NOT_SUPPORTED: 'Save the workbook as "Excel Workbook (.xlsx)" (or as CSV UTF-8) and upload that file.',
  XLSX_NO_WORKSHEET:
    'Put the data on a worksheet (macro and chart sheets are not read), save as .xlsx and upload it again.',
  SHEET_NOT_FOUND:
    'Rename the sheet to the name the pipeline expects (listed in the message), or ask the platform team to change "sheet" in the pipeline.',
  INVALID_JSONL:
    "Make every line one JSON object (the first line's keys become the columns), save as UTF-8 and upload it again.",
  INVALID_PARQUET:
    'Write the file again with a common Parquet writer (snappy, gzip or zstd compression), or export it as CSV, then upload it again.',
  INVALID_PIPELINE:
    'Ask the platform team to fix the pipeline definition named in the message; nothing is wrong with your file.',
  UNKNOWN_PIPELINE:
    'Upload the file into inbox/<pipeline>/ for a pipeline that exists; the folder name is the pipeline name.',
  UNSUPPORTED_MODEL:
    'Ask the platform team to set "invocationType": "Converse" for this model in the pipeline definition.',
  JOB_REJECTED:
    "Bedrock refused the job (message included): the platform team should check the model's access, the service role and the pipeline; then upload again.",
  JOB_CAPACITY:
    'Bedrock had no free job slots for this model for too long: upload the file again later, or ask for a higher concurrent-jobs quota.',
  JOB_FAILED:
    "Bedrock's message says why the job failed: the platform team should fix the cause, then upload the file again.",
  JOB_EXPIRED:
    'Bedrock never started the job before its timeout, twice: upload again later, or ask the platform team for a longer job timeout.',
  TIMEOUT:
    'The run took longer than its limit and its jobs were stopped: upload a smaller file or ask for a longer timeout.',
  UNKNOWN_JOB_STATUS:
    'Bedrock reported a job status this version does not know: the platform team should upgrade the pipeline, then upload again.',
  RESULTS_MISMATCH:
    'The results did not add up, so none were published: the platform team should look at this run.',
  RERUN_REFUSED:
    "The earlier run's answers could not be carried over (the message says why): upload the file again as a new run.",
  COLLECT_STORAGE_TOO_SMALL:
    'Nothing was sent: put identical rows next to each other in the file, or ask the platform team to set "dedupe": false in the pipeline or to deploy a larger collectStorageMiB (the message gives the MiB); then upload again.',
  RUN_TOO_LARGE:
    'The run is more than one Collect can read in 15 minutes (the message says whether anything was billed): split the file into smaller files, the message says how many rows each, and upload each as its own run.',
  INTERNAL_ERROR:
    'Something failed inside the pipeline: the platform team should look at the run id in the logs, then you can upload again.',
};

/**
 * Failures the same file, uploaded again unchanged, can get past later: they come from Bedrock's job
 * capacity or queue, not from the file, the pipeline or the stack, so nobody has to change anything first.
 */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(['JOB_CAPACITY', 'JOB_EXPIRED']);

/** Longest message kept (Bedrock's own messages are at most 2,048 characters). */
export const MAX_MESSAGE_LENGTH = 2048;

/** What Record failure reports about a failure. */
export interface FailureDescription {
  readonly code: string;
  readonly message: string;
  readonly whatToDo: string;
  /** True when uploading the same file again later may succeed without changes ({@link RETRYABLE_CODES}). */
  readonly retryable: boolean;
}

interface LambdaCause {
  readonly errorType?: unknown;
  readonly errorMessage?: unknown;
}

function parseCause(cause: string | undefined): LambdaCause | undefined {
  if (cause === undefined || !cause.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    return typeof parsed === 'object' && parsed !== null ? (parsed as LambdaCause) : undefined;
  } catch {
    return undefined;
  }
}

function truncate(text: string): string {
  return text.length <= MAX_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}

function belowMinimumMessage(prepared: PreparedRun): string {
  return `The file has ${prepared.records} valid records; a batch job for this model needs at least ${prepared.minRecordsPerJob}.`;
}

/**
 * Code, message and advice for a caught error. `Cause` is usually the JSON Lambda writes
 * (`{errorType, errorMessage, trace}`): only `errorMessage` is kept, never the stack trace.
 *
 * @example describeFailure({ Error: 'NoRecordsError', Cause: '{"errorType":"NoRecordsError","errorMessage":"No data rows"}' })
 * // { code: 'NO_RECORDS', message: 'No data rows', whatToDo: 'The file has no data rows: …', retryable: false }
 */
export function describeFailure(error: CaughtError, prepared?: PreparedRun): FailureDescription {
  const cause = parseCause(error.Cause);
  const errorType = typeof cause?.errorType === 'string' ? cause.errorType : undefined;
  let code = codeForErrorName(error.Error);
  if (code === 'INTERNAL_ERROR' && errorType !== undefined) code = codeForErrorName(errorType);
  const causeMessage =
    typeof cause?.errorMessage === 'string'
      ? cause.errorMessage
      : cause === undefined
        ? error.Cause
        : undefined;
  let message = causeMessage?.trim() || `${error.Error} (no further detail)`;
  if (code === 'BELOW_MIN_RECORDS' && prepared !== undefined) message = belowMinimumMessage(prepared);
  if (code === 'TIMEOUT' && error.Error === 'States.Timeout') {
    message = `A step of the run took longer than its time limit (${message}).`;
  }
  return {
    code,
    message: truncate(message),
    whatToDo: WHAT_TO_DO[code] ?? (WHAT_TO_DO.INTERNAL_ERROR as string),
    retryable: RETRYABLE_CODES.has(code),
  };
}

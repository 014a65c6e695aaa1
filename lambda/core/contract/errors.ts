/**
 * Typed errors. Every failure a person can act on is one class with a stable `code`.
 *
 * Step Functions sees a thrown error's `name` as the Lambda `errorType`, so the state machine's
 * Retry and Catch blocks match on class names, and Record failure maps a name back to its code
 * with {@link codeForErrorName}. Messages never contain row text (row data stays out of logs).
 */

/** Base class of every error this product throws on purpose. */
export abstract class PipelineError extends Error {
  /** Stable machine-readable code, documented in docs/analyst.md. */
  abstract readonly code: string;
  /** True when the same call may succeed later (throttling, quotas, transient faults). */
  readonly retryable: boolean = false;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ---------- the input file ----------

/** The object is a zip, xlsx, gzip or other binary file named `.csv`. */
export class NotCsvError extends PipelineError {
  readonly code = 'NOT_CSV';
}
/** The bytes are not valid UTF-8 (Windows-1252, UTF-16, ...). */
export class InvalidEncodingError extends PipelineError {
  readonly code = 'INVALID_ENCODING';
}
/** The CSV cannot be parsed at all (for example an unterminated quote). */
export class InvalidCsvError extends PipelineError {
  readonly code = 'INVALID_CSV';
}
/** The file is delimited by `;` or tab, not by commas. */
export class UnexpectedDelimiterError extends PipelineError {
  readonly code = 'UNEXPECTED_DELIMITER';
}
/** The file is empty or has a header and no data rows. */
export class NoRecordsError extends PipelineError {
  readonly code = 'NO_RECORDS';
}
/** The header lacks a column the prompt template needs, or repeats one. */
export class SchemaMismatchError extends PipelineError {
  readonly code = 'SCHEMA_MISMATCH';
}
/** More rows were rejected than the documented threshold allows. */
export class TooManyRejectedRowsError extends PipelineError {
  readonly code = 'TOO_MANY_REJECTED_ROWS';
}
/** Fewer valid records than the model's batch minimum, and the pipeline does not allow on-demand. */
export class BelowMinRecordsError extends PipelineError {
  readonly code = 'BELOW_MIN_RECORDS';
}
/** The input object was deleted (or never existed) before the run read it. */
export class SourceMissingError extends PipelineError {
  readonly code = 'SOURCE_MISSING';
}

// ---------- the other input formats (.xlsx, .jsonl, .parquet) ----------

/** An `.xlsx` file is not a readable workbook (not a zip, a damaged zip, or parts missing). */
export class InvalidWorkbookError extends PipelineError {
  readonly code = 'INVALID_XLSX';
}
/** The workbook is password-protected (encrypted): its cells cannot be read. */
export class EncryptedWorkbookError extends PipelineError {
  readonly code = 'XLSX_ENCRYPTED';
}
/** The file is a legacy Excel 97-2003 `.xls` workbook (binary), not `.xlsx`. */
export class LegacyWorkbookError extends PipelineError {
  readonly code = 'XLS_NOT_SUPPORTED';
}
/** The workbook has no worksheet to read (only macro sheets or chart sheets). */
export class NoWorksheetError extends PipelineError {
  readonly code = 'XLSX_NO_WORKSHEET';
}
/** The pipeline's `sheet` names a sheet the workbook does not have. */
export class SheetNotFoundError extends PipelineError {
  readonly code = 'SHEET_NOT_FOUND';
}
/** A `.jsonl` file cannot be read as JSON Lines (its first record is not a JSON object, or bad UTF-8). */
export class InvalidJsonlError extends PipelineError {
  readonly code = 'INVALID_JSONL';
}
/** A `.parquet` file cannot be read (not Parquet, damaged, or an unsupported encoding or codec). */
export class InvalidParquetError extends PipelineError {
  readonly code = 'INVALID_PARQUET';
}

// ---------- the pipeline definition ----------

/** A pipeline file is missing, malformed, or has unknown or invalid fields. */
export class InvalidPipelineError extends PipelineError {
  readonly code = 'INVALID_PIPELINE';
}
/** No pipeline of that name is deployed (the inbox folder names an unknown pipeline). */
export class UnknownPipelineError extends PipelineError {
  readonly code = 'UNKNOWN_PIPELINE';
}
/** The model family cannot be built with the InvokeModel type (use Converse). */
export class UnsupportedModelError extends PipelineError {
  readonly code = 'UNSUPPORTED_MODEL';
}

// ---------- the batch job ----------

/** Bedrock refused to create the job (validation, access denied, not found): not retried. */
export class JobRejectedError extends PipelineError {
  readonly code = 'JOB_REJECTED';
}
/** Bedrock throttled the create call or the concurrent-job quota is full: retried with backoff. */
export class JobCapacityError extends PipelineError {
  readonly code = 'JOB_CAPACITY';
  override readonly retryable = true;
}
/** The job ended Failed; the message is Bedrock's. */
export class JobFailedError extends PipelineError {
  readonly code = 'JOB_FAILED';
}
/** The job expired again after one resubmission. */
export class JobExpiredError extends PipelineError {
  readonly code = 'JOB_EXPIRED';
}
/** The job ran past the run's limit and was stopped. */
export class JobTimeoutError extends PipelineError {
  readonly code = 'TIMEOUT';
}
/** Bedrock reported a status this product does not know, for longer than the cap allows. */
export class UnknownJobStatusError extends PipelineError {
  readonly code = 'UNKNOWN_JOB_STATUS';
}

/**
 * A Map iteration ended without recording its job result in S3 (it should never happen: the iteration
 * fails instead). Reported as `INTERNAL_ERROR`: the platform team reads the execution history.
 */
export class JobResultMissingError extends PipelineError {
  readonly code = 'INTERNAL_ERROR';
}

// ---------- re-runs ----------

/** A re-run that cannot carry the previous run's answers over (input or pipeline changed, nothing to do). */
export class RerunRefusedError extends PipelineError {
  readonly code = 'RERUN_REFUSED';
}

// ---------- dedupe ----------

/** Dedupe's carried answers and one shard's results could not fit Collect's `/tmp`: refused before any job. */
export class CollectStorageTooSmallError extends PipelineError {
  readonly code = 'COLLECT_STORAGE_TOO_SMALL';
}

// ---------- run size ----------

/**
 * A run too large for one Collect to read in its 15 minutes: refused by Prepare before any job when its
 * prompts alone are too much, else found by Collect itself before Lambda's timeout (nothing published).
 */
export class RunTooLargeError extends PipelineError {
  readonly code = 'RUN_TOO_LARGE';
}

// ---------- results ----------

/** The results do not reconcile (`input != ok + error + rejected + missing`): nothing is published. */
export class ResultsMismatchError extends PipelineError {
  readonly code = 'RESULTS_MISMATCH';
}

/** Codes for row-level problems: these end up in results, never thrown. */
export const RowErrorCode = {
  /** The row has more or fewer cells than the header. */
  ColumnCount: 'ROW_COLUMN_COUNT',
  /** One cell, or the rendered record, is larger than the limit. */
  TooLarge: 'ROW_TOO_LARGE',
  /** The prompt (estimated from its bytes) plus `maxTokens` is more than the model's context window. */
  ContextWindow: 'ROW_EXCEEDS_CONTEXT',
  /** The `idColumn` value is empty, not Bedrock-safe, or repeats an earlier row's. */
  InvalidId: 'ROW_INVALID_ID',
  /** JSON Lines: the line is not a JSON object. */
  InvalidJson: 'ROW_INVALID_JSON',
  /** JSON Lines: the object has a key the first record does not have (keys are the columns). */
  NewKey: 'ROW_NEW_KEY',
  /** The model answered with an error for this record. */
  ModelError: 'MODEL_ERROR',
  /** The job ended before this record was processed (Stopped, PartiallyCompleted, Expired). */
  NotProcessed: 'NOT_PROCESSED',
  /** json mode: no JSON object could be read from the model's text. */
  InvalidJsonOutput: 'INVALID_JSON_OUTPUT',
  /** json mode: the JSON object does not match the pipeline's schema. */
  SchemaViolation: 'SCHEMA_VIOLATION',
} as const;

/** A row-level code. */
export type RowErrorCode = (typeof RowErrorCode)[keyof typeof RowErrorCode];

const errorClasses = [
  NotCsvError,
  InvalidEncodingError,
  InvalidCsvError,
  UnexpectedDelimiterError,
  NoRecordsError,
  SchemaMismatchError,
  TooManyRejectedRowsError,
  BelowMinRecordsError,
  SourceMissingError,
  InvalidWorkbookError,
  EncryptedWorkbookError,
  LegacyWorkbookError,
  NoWorksheetError,
  SheetNotFoundError,
  InvalidJsonlError,
  InvalidParquetError,
  InvalidPipelineError,
  UnknownPipelineError,
  UnsupportedModelError,
  JobRejectedError,
  JobCapacityError,
  JobFailedError,
  JobExpiredError,
  JobTimeoutError,
  UnknownJobStatusError,
  ResultsMismatchError,
  RerunRefusedError,
  CollectStorageTooSmallError,
  RunTooLargeError,
] as const;

const codesByName = new Map<string, string>(errorClasses.map((cls) => [cls.name, new cls('').code]));

/**
 * The product code for an error name as Step Functions reports it (`errorType`).
 * Anything else (a Lambda runtime error, a States.* error) maps to `INTERNAL_ERROR`.
 *
 * @example codeForErrorName('NoRecordsError') // 'NO_RECORDS'
 */
export function codeForErrorName(name: string): string {
  if (name === 'States.Timeout') return 'TIMEOUT';
  return codesByName.get(name) ?? 'INTERNAL_ERROR';
}

/**
 * The guard that keeps row text out of the logs. Every attribute of every log line passes through
 * {@link scrubAttributes}: numbers, booleans and null stay; a string stays only under a key known to
 * carry ids, codes, statuses or S3 keys ({@link SAFE_STRING_KEYS}); any other string becomes
 * {@link REDACTED}. An error keeps its name, its code and where it was thrown; its message only when it
 * is one of this product's typed errors, whose messages never contain row text by contract.
 */
import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { PipelineError } from '../core/contract/errors';

/** What replaces a string that might be row text. */
export const REDACTED = '[redacted]';

/** Keys whose string values are ids, codes, statuses, reasons or S3 keys, never row text. */
export const SAFE_STRING_KEYS: ReadonlySet<string> = new Set([
  'handler',
  'runId',
  'pipeline',
  'modelId',
  'jobArn',
  'jobName',
  'jobId',
  'attempt',
  'shard',
  'status',
  'outcome',
  'code',
  'error',
  'errorType',
  'name',
  'reason',
  'messageId',
  'bucket',
  'key',
  'versionId',
  'reportKey',
  'resultsPrefix',
  'invocationType',
  'location',
  'stopReason',
]);

/** Longest string kept under a safe key (an S3 key is at most 1,024 bytes). */
export const MAX_SAFE_STRING = 1024;

const MAX_DEPTH = 6;

/** The loggable form of an error: name, code, location; the message only for a typed pipeline error. */
export function safeError(error: Error, depth = 0): LogAttributes {
  const code = (error as { code?: unknown }).code;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  const out: LogAttributes = { name: capped(error.name) };
  if (typeof code === 'string') out.code = capped(code);
  if (typeof status === 'number') out.httpStatusCode = status;
  if (error instanceof PipelineError) out.message = error.message;
  const location = locationOf(error.stack);
  if (location !== undefined) out.location = location;
  if (error.cause instanceof Error && depth < MAX_DEPTH) out.cause = safeError(error.cause, depth + 1);
  return out;
}

/**
 * A copy of `attributes` with every string that might be row text replaced by {@link REDACTED}.
 *
 * @example scrubAttributes({ runId: 'q3-0123456789ab', cells: ['secret'], rows: 3 })
 * // { runId: 'q3-0123456789ab', cells: ['[redacted]'], rows: 3 }
 */
export function scrubAttributes(attributes: LogAttributes): LogAttributes {
  return scrubObject(attributes, 0);
}

function scrubObject(value: Record<string, unknown>, depth: number): LogAttributes {
  const out: LogAttributes = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrub(item, SAFE_STRING_KEYS.has(key), depth);
  return out;
}

function scrub(value: unknown, safeKey: boolean, depth: number): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return safeKey ? capped(value) : REDACTED;
  if (value instanceof Error) return safeError(value, depth);
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => scrub(item, safeKey, depth + 1));
  if (typeof value === 'object') return scrubObject(value as Record<string, unknown>, depth + 1);
  return REDACTED;
}

function capped(text: string): string {
  return text.length <= MAX_SAFE_STRING ? text : `${text.slice(0, MAX_SAFE_STRING - 1)}…`;
}

function locationOf(stack: string | undefined): string | undefined {
  const match = stack?.match(/\(([^()]*?):(\d+):\d+\)/);
  return match ? `${match[1]}:${match[2]}` : undefined;
}

/** The Powertools log formatter with the guard applied to every attribute and error. */
export class RowSafeLogFormatter extends LogFormatter {
  /** Builds the log line: the standard keys, then the scrubbed attributes. */
  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: base }).addAttributes(scrubAttributes(additionalLogAttributes));
  }

  /** An error logged anywhere in a line keeps only what {@link safeError} keeps. */
  override formatError(error: Error): LogAttributes {
    return safeError(error);
  }
}

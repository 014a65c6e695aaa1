/**
 * A runtime call that did not answer, as the edge reports it (an error name, an HTTP status, a
 * message; no SDK types), and what it means for the record: retry, error line, or stop the shard.
 */

/** A failed InvokeModel/Converse call. */
export interface InvocationFailure {
  /** The error's name (`ThrottlingException`, `TimeoutError`, `ECONNRESET`, ...). */
  readonly name: string;
  /** The HTTP status when a response came back. */
  readonly status?: number;
  readonly message: string;
}

/** One record's call: the model's native response body, or the failure. */
export type InvocationResult =
  | { readonly ok: true; readonly output: unknown }
  | { readonly ok: false; readonly failure: InvocationFailure };

/** How a failure is handled. */
export interface FailureClass {
  /** The `errorCode` of the record's error line (an HTTP status, as Bedrock batch writes them). */
  readonly errorCode: number;
  /** The same call may succeed later: it is retried with backoff, then left for the retry round. */
  readonly retryable: boolean;
  /** A rate limit: the backoff applies to every worker, not only this record. */
  readonly throttled: boolean;
  /** No record of the shard can succeed (no access, unknown model): the shard stops. */
  readonly fatal: boolean;
}

const BY_NAME: Readonly<Record<string, Omit<FailureClass, 'fatal'> & { fatal?: boolean }>> = {
  ThrottlingException: { errorCode: 429, retryable: true, throttled: true },
  ModelNotReadyException: { errorCode: 429, retryable: true, throttled: true },
  ServiceQuotaExceededException: { errorCode: 429, retryable: true, throttled: true },
  ServiceUnavailableException: { errorCode: 503, retryable: true, throttled: false },
  InternalServerException: { errorCode: 500, retryable: true, throttled: false },
  ModelTimeoutException: { errorCode: 408, retryable: true, throttled: false },
  TimeoutError: { errorCode: 408, retryable: true, throttled: false },
  AbortError: { errorCode: 408, retryable: true, throttled: false },
  RequestTimeout: { errorCode: 408, retryable: true, throttled: false },
  ValidationException: { errorCode: 400, retryable: false, throttled: false },
  ModelErrorException: { errorCode: 424, retryable: false, throttled: false },
  AccessDeniedException: { errorCode: 403, retryable: false, throttled: false, fatal: true },
  ResourceNotFoundException: { errorCode: 404, retryable: false, throttled: false, fatal: true },
};

const NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * Classifies a failure by its error name, then by its HTTP status (5xx and 429 are retryable).
 *
 * @example classifyFailure({ name: 'ThrottlingException', status: 429, message: '' }).retryable // true
 */
export function classifyFailure(failure: InvocationFailure): FailureClass {
  const known = BY_NAME[failure.name];
  if (known !== undefined) return { fatal: false, ...known };
  if (NETWORK_ERRORS.has(failure.name)) {
    return { errorCode: 503, retryable: true, throttled: false, fatal: false };
  }
  const status = failure.status ?? 500;
  return {
    errorCode: status,
    retryable: status === 429 || status === 408 || status >= 500,
    throttled: status === 429,
    fatal: false,
  };
}

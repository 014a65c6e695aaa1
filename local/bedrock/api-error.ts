/** Errors the emulator returns on the wire, as the Bedrock control plane does (restJson1). */

/** HTTP status of each error type Bedrock declares on the job operations and the runtime calls. */
const ERROR_STATUS: Readonly<Record<string, number>> = {
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  ConflictException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ThrottlingException: 429,
  InternalServerException: 500,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  ServiceUnavailableException: 503,
};

/** An error response: `type` goes into `x-amzn-ErrorType`, `message` into the JSON body. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[type] ?? 400;
  }
}

/** A ValidationException listing constraint violations the way AWS words them. */
export function validationError(problems: readonly string[]): ApiError {
  const count = problems.length;
  return new ApiError(
    'ValidationException',
    `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
  );
}

/** Canned messages for injected faults. */
export const INJECTED_MESSAGES: Readonly<Record<string, string>> = {
  ThrottlingException: 'Too many requests, please wait before trying again. (emulated fault)',
  ServiceQuotaExceededException:
    'The number of requests exceeds the service quota. Resubmit your request later. (emulated fault)',
  InternalServerException: 'An internal server error occurred. Retry your request. (emulated fault)',
  ValidationException: 'The request is not valid. (emulated fault)',
  AccessDeniedException: 'You do not have sufficient access to perform this action. (emulated fault)',
  ResourceNotFoundException: 'The specified resource was not found. (emulated fault)',
  ConflictException: 'The request conflicts with the current state of the resource. (emulated fault)',
  ServiceUnavailableException: 'The service is currently unavailable. Try again later. (emulated fault)',
  ModelTimeoutException: 'The request took too long to process. (emulated fault)',
  ModelNotReadyException: 'The model is not ready to serve inference requests. (emulated fault)',
  ModelErrorException: 'The model returned an error while processing the request. (emulated fault)',
};

import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../lambda/core/on-demand/failure';
import { failureOf } from '../../../lambda/io/runtime';

describe('classifyFailure', () => {
  it.each([
    ['ThrottlingException', 429, { errorCode: 429, retryable: true, throttled: true, fatal: false }],
    ['ModelNotReadyException', 429, { errorCode: 429, retryable: true, throttled: true, fatal: false }],
    ['ServiceUnavailableException', 503, { errorCode: 503, retryable: true, throttled: false, fatal: false }],
    ['InternalServerException', 500, { errorCode: 500, retryable: true, throttled: false, fatal: false }],
    ['ModelTimeoutException', 408, { errorCode: 408, retryable: true, throttled: false, fatal: false }],
    ['TimeoutError', undefined, { errorCode: 408, retryable: true, throttled: false, fatal: false }],
    ['ECONNRESET', undefined, { errorCode: 503, retryable: true, throttled: false, fatal: false }],
    ['ValidationException', 400, { errorCode: 400, retryable: false, throttled: false, fatal: false }],
    ['ModelErrorException', 424, { errorCode: 424, retryable: false, throttled: false, fatal: false }],
    ['AccessDeniedException', 403, { errorCode: 403, retryable: false, throttled: false, fatal: true }],
    ['ResourceNotFoundException', 404, { errorCode: 404, retryable: false, throttled: false, fatal: true }],
    ['SomethingNew', 502, { errorCode: 502, retryable: true, throttled: false, fatal: false }],
    ['SomethingNew', 429, { errorCode: 429, retryable: true, throttled: true, fatal: false }],
    ['SomethingNew', 409, { errorCode: 409, retryable: false, throttled: false, fatal: false }],
  ])('%s (%s)', (name, status, expected) => {
    expect(classifyFailure({ name, status, message: 'm' })).toEqual(expected);
  });
});

describe('failureOf (the edge)', () => {
  it('keeps the SDK error name, the HTTP status and the message', () => {
    const error = Object.assign(new Error('Too many requests'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
    expect(failureOf(error)).toEqual({
      name: 'ThrottlingException',
      status: 429,
      message: 'Too many requests',
    });
  });

  it('names a network failure by its code, so it is retried', () => {
    const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(failureOf(error)).toEqual({ name: 'ECONNRESET', message: 'socket hang up' });
    expect(classifyFailure(failureOf(error)).retryable).toBe(true);
    expect(failureOf(undefined)).toEqual({ name: 'Error', message: 'no message' });
  });
});

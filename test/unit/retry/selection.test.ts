import { describe, expect, it } from 'vitest';
import { RetrySelector, retryReason } from '../../../lambda/core/retry/selection';

const modelError = (errorMessage: string) =>
  ({ recordId: 'r1', status: 'error', errorCode: 'MODEL_ERROR', errorMessage }) as const;

describe('retryReason', () => {
  it.each([
    [modelError('429: ThrottlingException: slow down (retryable; gave up after 6 attempts)'), 'throttled'],
    [modelError('500: Internal server error (emulated recordErrorRate fault)'), 'server-error'],
    [modelError('503: ServiceUnavailableException: try later'), 'server-error'],
    [modelError('408: ModelTimeoutException: took too long'), 'timeout'],
    [modelError('Too many requests, please wait'), 'throttled'],
    [modelError('The request timed out'), 'timeout'],
    [modelError('400: messages: Field required'), undefined],
    [modelError('424: ModelErrorException: the model failed'), undefined],
    [modelError('the model returned an error'), undefined],
    [{ recordId: 'r1', status: 'missing', errorCode: 'NOT_PROCESSED' }, 'not-processed'],
    [{ recordId: 'r1', status: 'error', errorCode: 'SCHEMA_VIOLATION', errorMessage: '500: x' }, undefined],
    [{ recordId: 'r1', status: 'error', errorCode: 'INVALID_JSON_OUTPUT' }, undefined],
    [{ recordId: 'r1', status: 'rejected', errorCode: 'ROW_COLUMN_COUNT' }, undefined],
    [{ recordId: 'r1', status: 'ok' }, undefined],
  ] as const)('%j → %s', (row, reason) => {
    expect(retryReason(row)).toBe(reason);
  });
});

describe('RetrySelector', () => {
  it('keeps retryable rows by shard, once each, with the reasons counted', () => {
    const selector = new RetrySelector();
    selector.add(2, { recordId: 'b', status: 'missing', errorCode: 'NOT_PROCESSED' });
    selector.add(1, { ...modelError('429: slow'), recordId: 'a' });
    selector.add(1, { ...modelError('429: slow'), recordId: 'a' });
    selector.add(1, { ...modelError('400: bad'), recordId: 'c' });
    selector.add(1, { recordId: 'd', status: 'ok' });
    const selection = selector.selection();
    expect(selection.total).toBe(2);
    expect(selection.byReason).toEqual({ throttled: 1, 'server-error': 0, timeout: 0, 'not-processed': 1 });
    expect(selection.shards.map((s) => [s.shard, [...s.recordIds]])).toEqual([
      [1, ['a']],
      [2, ['b']],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { RoundMerge } from '../../../lambda/core/retry/merge';
import { collect, iterate } from '../../helpers/async-lines';

describe('RoundMerge', () => {
  const answered = (id: string, round: number) =>
    JSON.stringify({ recordId: id, modelInput: {}, modelOutput: { round } });
  const failed = (id: string, code: number) =>
    JSON.stringify({ recordId: id, modelInput: {}, error: { errorCode: code, errorMessage: 'x' } });

  it('puts each retried record once, with its newest line, and keeps the rest', async () => {
    const first = [answered('a', 1), failed('b', 429), failed('c', 500), failed('d', 400), 'not json'];
    const second = [answered('b', 2), failed('c', 503)];
    const merge = new RoundMerge(
      () => iterate(first),
      () => iterate(second),
    );
    const merged = await collect(merge.lines());
    expect(merged).toEqual([
      answered('b', 2),
      failed('c', 503),
      answered('a', 1),
      failed('d', 400),
      'not json',
    ]);
    expect(merge.replaced('b')).toBe(true);
    expect(merge.replaced('a')).toBe(false);
    expect(merge.dropped).toEqual({ answered: 0, failed: 2 });
    expect(merge.second).toEqual({ answered: 1, failed: 1 });
    expect(
      merge.manifest({
        totalRecordCount: 5,
        processedRecordCount: 4,
        successRecordCount: 1,
        errorRecordCount: 3,
      }),
    ).toEqual({ totalRecordCount: 5, processedRecordCount: 4, successRecordCount: 2, errorRecordCount: 2 });
    expect(merge.manifest(undefined)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import {
  parseRejectedLine,
  parseSidecarLine,
  planHeader,
  sidecarRecordId,
} from '../../../lambda/core/jsonl/sidecar';

describe('the formats Prepare writes', () => {
  it('reads a sidecar line, and rejects one without a recordId, row or cells', () => {
    expect(parseSidecarLine('{"recordId":"r1","row":3,"line":4,"cells":["a","b"]}')).toEqual({
      recordId: 'r1',
      row: 3,
      cells: ['a', 'b'],
    });
    expect(parseSidecarLine('{"recordId":"r1","row":0,"cells":[]}')).toBeUndefined();
    expect(parseSidecarLine('{"recordId":"r1","row":1,"cells":[1]}')).toBeUndefined();
    expect(parseSidecarLine('{"recordId":"r1"')).toBeUndefined();
  });

  it('reads the recordId without parsing the cells, and falls back to a full parse', () => {
    expect(sidecarRecordId('{"recordId":"r000000001","row":1,"line":2,"cells":["a"]}')).toBe('r000000001');
    expect(sidecarRecordId('{"row":1,"recordId":"x-1","cells":[]}')).toBe('x-1');
    expect(sidecarRecordId('{"recordId":"a\\"b","row":1,"cells":[]}')).toBe('a"b');
    expect(sidecarRecordId('{"row":1}')).toBeUndefined();
  });

  it('reads a rejected line with null cells and a null recordId', () => {
    expect(
      parseRejectedLine(
        '{"row":2,"line":3,"recordId":null,"code":"ROW_TOO_LARGE","message":"big","cells":null}',
      ),
    ).toEqual({ row: 2, line: 3, code: 'ROW_TOO_LARGE', message: 'big', cells: [], recordId: undefined });
    expect(parseRejectedLine('{"line":3}')).toBeUndefined();
  });

  it('reads the header from plan.json', () => {
    expect(planHeader({ header: ['a', 'b'], rows: 1 })).toEqual(['a', 'b']);
    expect(planHeader({ rows: 1 })).toBeUndefined();
    expect(planHeader(undefined)).toBeUndefined();
  });
});

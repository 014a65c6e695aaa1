import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADDED_COLUMNS, originalColumnNames } from '../../../lambda/core/collect/columns';

describe('originalColumnNames', () => {
  it('keeps names that no added column uses', () => {
    expect(originalColumnNames(['id', 'question', 'Status'], [])).toEqual(['id', 'question', 'Status']);
  });

  it('writes an original column named like an added one as input.<name>', () => {
    expect(originalColumnNames(['status', 'id', 'record_id', 'row', 'output'], [])).toEqual([
      'input.status',
      'id',
      'input.record_id',
      'input.row',
      'input.output',
    ]);
    expect(originalColumnNames(['output.score', 'x'], ['score'])).toEqual(['input.output.score', 'x']);
  });

  it('adds _2, _3 when the new name is taken too, never taking a kept name', () => {
    expect(originalColumnNames(['status', 'input.status', 'input.status_2'], [])).toEqual([
      'input.status_3',
      'input.status',
      'input.status_2',
    ]);
    expect(originalColumnNames(['a', '', ''], [])).toEqual(['a', '', '_2']);
  });

  it('never repeats a name in the full results header, for any original header', () => {
    const name = fc.oneof(fc.constantFrom(...ADDED_COLUMNS, 'input.status', 'output.f', ''), fc.string());
    fc.assert(
      fc.property(fc.array(name, { maxLength: 8 }), (header) => {
        const names = originalColumnNames(header, ['f']);
        const full = [...names, ...ADDED_COLUMNS, 'output.f'];
        expect(new Set(full).size).toBe(full.length);
        names.forEach((n, i) => {
          if (
            !(ADDED_COLUMNS as readonly string[]).includes(header[i]!) &&
            header[i] !== 'output.f' &&
            header.indexOf(header[i]!) === i
          )
            expect(n).toBe(header[i]);
        });
      }),
    );
  });
});

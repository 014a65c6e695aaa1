import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidCsvError } from '../../../lambda/core/contract/errors';
import { CsvParser, cellCount, cellStrings, type RawRow } from '../../../lambda/core/csv/parser';

function parseChunks(chunks: readonly Buffer[], maxRowBytes = 1 << 20): RawRow[] {
  const parser = new CsvParser(maxRowBytes);
  const rows: RawRow[] = [];
  for (const chunk of chunks) parser.push(chunk, rows);
  parser.end(rows);
  return rows;
}

function parseText(text: string): string[][] {
  return parseChunks([Buffer.from(text)]).map(cellStrings);
}

function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

describe('CsvParser', () => {
  it('reads quoted commas, newlines and doubled quotes as one cell (matrix 9)', () => {
    expect(parseText('a,b\n"x, y","line1\nline2 ""quoted"""\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'line1\nline2 "quoted"'],
    ]);
  });

  it('gives the same records for LF, CRLF, CR and mixed line endings (matrix 8)', () => {
    const lf = parseText('a,b\n1,2\n3,"x\ny"\n');
    expect(parseText('a,b\r\n1,2\r\n3,"x\ny"\r\n')).toEqual(lf);
    expect(parseText('a,b\r1,2\r3,"x\ny"\r')).toEqual(lf);
    expect(parseText('a,b\r\n1,2\r3,"x\ny"')).toEqual(lf);
  });

  it('skips blank lines and keeps a trailing delimiter as an empty last cell (matrix 12)', () => {
    expect(parseText('\n\na,b\n\n\r\n1,2\n\n3,\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', ''],
    ]);
  });

  it('reads a line of only spaces as a row whose cell is the spaces (matrix 12)', () => {
    expect(parseText('a\n \n\n   \r\nb\n')).toEqual([['a'], [' '], ['   '], ['b']]);
    expect(parseText('a,b\n  \n1,2,\n')).toEqual([['a', 'b'], ['  '], ['1', '2', '']]);
  });

  it('numbers rows by the physical line they start on, counting quoted line breaks', () => {
    const rows = parseChunks([Buffer.from('h\r\n"a\r\nb"\r\n\r\nc\rd\n"e\nf\ng"\nz')]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 5, 6, 7, 10]);
  });

  it('names the line where an unterminated quote opens (matrix 10)', () => {
    expect(() => parseText('a,b\n1,2\n3,"open\nmore\n')).toThrow(InvalidCsvError);
    expect(() => parseText('a,b\n1,2\n3,"open\nmore\n')).toThrow(/line 3/);
  });

  it('rejects text after a closing quote with its line', () => {
    expect(() => parseText('a\n"x"y\n')).toThrow(/line 2/);
  });

  it('keeps a quote inside an unquoted cell as a literal character', () => {
    expect(parseText('a,b\n5" screen,x\n')).toEqual([
      ['a', 'b'],
      ['5" screen', 'x'],
    ]);
  });

  it('flags a row larger than the limit without keeping its cells (matrix 17)', () => {
    const big = 'x'.repeat(5000);
    const rows = parseChunks(splitAt(Buffer.from(`a,b\n"${big}",1\nok,2\n`), [7, 100, 2000, 4000]), 1000);
    expect(rows.map((r) => [r.tooLarge, cellCount(r), r.line])).toEqual([
      [false, 2, 1],
      [true, 0, 2],
      [false, 2, 3],
    ]);
  });

  it('gives the same rows whatever the chunk boundaries (every single split point)', () => {
    const text = Buffer.from('h1,h2\r\n"a ""q""\r\nb",é\r\n\r\n"",x\r"é,😊",\n"last"');
    const whole = parseChunks([text]);
    const strings = (rows: RawRow[]) => rows.map((r) => [r.line, r.bytes, ...cellStrings(r)]);
    for (let cut = 0; cut <= text.length; cut++) {
      expect(strings(parseChunks([text.subarray(0, cut), text.subarray(cut)]))).toEqual(strings(whole));
    }
    expect(strings(parseChunks([...text].map((b) => Buffer.from([b]))))).toEqual(strings(whole));
  });

  it('agrees with csv-parse on generated files (differential)', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'é', '😊', ',', '"', '\n', '\r', ' ', '\t', '\u0000', 'x', ';'),
    });
    const file = fc.integer({ min: 1, max: 4 }).chain((width) =>
      fc.record({
        rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
          minLength: 1,
          maxLength: 8,
        }),
        eol: fc.constantFrom('\n', '\r\n', '\r'),
        quoted: fc.boolean(),
        cuts: fc.array(fc.nat(), { maxLength: 5 }),
      }),
    );
    fc.assert(
      fc.property(file, ({ rows, eol, quoted, cuts }) => {
        const text = stringify(rows, {
          record_delimiter: eol,
          quoted,
          quoted_empty: quoted,
          quoted_match: /[\r\n]/,
        });
        const expected = parse(text, {
          skip_empty_lines: true,
          relax_column_count: true,
          record_delimiter: eol,
        });
        const actual = parseChunks(splitAt(Buffer.from(text), cuts)).map(cellStrings);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../../lambda/core/csv/csv-line';
import { looksLikeFormula, neutraliseCell } from '../../../lambda/core/csv/csv-safe';
import { readLines } from '../../../lambda/core/jsonl/lines';

describe('neutraliseCell', () => {
  it('prefixes cells a spreadsheet would run as a formula', () => {
    for (const cell of ['=1+1', '+A1', '-A1+2', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")']) {
      expect(neutraliseCell(cell)).toBe(`'${cell}`);
    }
  });

  it('leaves ordinary text and plain numbers alone', () => {
    for (const cell of ['', 'hello', ' =1', '-12.5', '+3', '-1e5', '.5', 'a=b']) {
      expect(neutraliseCell(cell)).toBe(cell);
      expect(looksLikeFormula(cell)).toBe(false);
    }
  });
});

describe('csvLine', () => {
  it('quotes only what needs quoting and ends with CRLF', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', ''])).toBe(
      'a,"b,c","say ""hi""","two\nlines",\r\n',
    );
  });

  it('round-trips any text through a CSV parser (formulas neutralised)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 }), (cells) => {
        const [parsed] = parse(csvLine(cells), { relax_column_count: true }) as string[][];
        expect(parsed).toEqual(cells.map(neutraliseCell));
      }),
    );
  });
});

describe('readLines', () => {
  async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<string | Buffer> {
    yield* parts;
  }
  async function all(source: AsyncIterable<string | Buffer>): Promise<string[]> {
    const out: string[] = [];
    for await (const line of readLines(source)) out.push(line);
    return out;
  }

  it('splits on LF and CRLF, skips blank lines, keeps a last line without newline', async () => {
    expect(await all(chunks('a\r\nb', '\n\n', 'c\nd'))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('joins a line spread over several chunks', async () => {
    expect(await all(chunks('ab', 'cd', 'e\nf', 'g', '\r', '\nh'))).toEqual(['abcde', 'fg', 'h']);
  });

  it('does not break a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from('café\n日本\n', 'utf8');
    expect(await all(chunks(bytes.subarray(0, 4), bytes.subarray(4, 9), bytes.subarray(9)))).toEqual([
      'café',
      '日本',
    ]);
  });
});

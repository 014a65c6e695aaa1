import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidEncodingError,
  NotCsvError,
  SchemaMismatchError,
  UnexpectedDelimiterError,
} from '../../../lambda/core/contract/errors';
import { checkHeader } from '../../../lambda/core/csv/header';
import { cellStrings, type RawRow } from '../../../lambda/core/csv/parser';
import { readCsv } from '../../../lambda/core/csv/reader';
import { checkSignature } from '../../../lambda/core/csv/signature';
import { firstInvalidUtf8, Utf8Validator } from '../../../lambda/core/csv/utf8';

function rowOf(cells: readonly string[]): RawRow {
  const owned = cells.map((c) => Buffer.from(c));
  return {
    data: Buffer.alloc(0),
    bounds: owned.flatMap((_, i) => [-(i + 1), 0]),
    owned,
    line: 1,
    bytes: 1,
    tooLarge: false,
  };
}

async function rowsOf(chunks: readonly (Buffer | string)[]): Promise<string[][]> {
  async function* source() {
    yield* chunks;
  }
  const out: string[][] = [];
  for await (const rows of readCsv(source(), 1 << 20)) out.push(...rows.map(cellStrings));
  return out;
}

describe('file signature (matrix 15, 7)', () => {
  it.each([
    ['xlsx/zip', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]],
    ['gzip', [0x1f, 0x8b, 0x08, 0x00]],
    ['xls', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]],
  ])('refuses %s as NOT_CSV', async (_kind, bytes) => {
    await expect(rowsOf([Buffer.from(bytes), 'a,b\n'])).rejects.toThrow(NotCsvError);
  });

  it('refuses UTF-16 with a byte-order mark as INVALID_ENCODING', () => {
    expect(() => checkSignature(Buffer.from('\ufeffa,b', 'utf16le'))).toThrow(InvalidEncodingError);
  });

  it('refuses UTF-16 without a byte-order mark (NUL bytes in the header)', async () => {
    const first = (await rowsOf([Buffer.from('Context,Response\n', 'utf16le')]))[0]!;
    expect(() => checkHeader(rowOf(first))).toThrow(InvalidEncodingError);
  });

  it('strips a UTF-8 byte-order mark, even when it arrives split across chunks (matrix 6)', async () => {
    const rows = await rowsOf([Buffer.from([0xef]), Buffer.from([0xbb, 0xbf, 0x43]), 'ontext,R\nx,y\n']);
    expect(rows[0]).toEqual(['Context', 'R']);
    expect(rows[0]![0]!.charCodeAt(0)).toBe(0x43);
  });

  it('accepts a tiny file shorter than any signature', async () => {
    expect(await rowsOf(['a\n'])).toEqual([['a']]);
  });
});

describe('UTF-8 validation (matrix 7)', () => {
  it('names the byte offset of a Windows-1252 character', async () => {
    const bytes = Buffer.concat([
      Buffer.from('Context,Response\ncaf'),
      Buffer.from([0xe9]),
      Buffer.from(',x\n'),
    ]);
    await expect(rowsOf([bytes])).rejects.toThrow(/byte 0xE9 at byte offset 20/);
  });

  it.each([
    ['little', 'utf16le'],
    ['big', 'utf16be'],
  ] as const)(
    'names UTF-16 (%s-endian, no byte-order mark) when its first non-ASCII character breaks UTF-8',
    async (_end, encoding) => {
      const text = 'Context,Response\nhello wörld,fine\n';
      const bytes =
        encoding === 'utf16le' ? Buffer.from(text, 'utf16le') : Buffer.from(text, 'utf16le').swap16();
      const at = bytes.indexOf(
        encoding === 'utf16le' ? Buffer.from([0xf6, 0x00]) : Buffer.from([0x00, 0xf6]),
      );
      const offset = encoding === 'utf16le' ? at : at + 1;
      await expect(rowsOf([bytes])).rejects.toThrow(
        new RegExp(`byte 0xF6 at byte offset ${offset}\\. It is probably UTF-16 without a byte-order mark`),
      );
    },
  );

  it('finds the offset across chunk boundaries and accepts sequences split between chunks', () => {
    const good = Buffer.from('ab😊cé');
    for (let cut = 0; cut <= good.length; cut++) {
      const v = new Utf8Validator();
      v.push(good.subarray(0, cut));
      v.push(good.subarray(cut));
      v.end();
    }
    const bad = Buffer.concat([Buffer.from('abc'), Buffer.from([0xf0, 0x9f, 0x41])]);
    for (let cut = 0; cut <= bad.length; cut++) {
      const v = new Utf8Validator();
      expect(() => {
        v.push(bad.subarray(0, cut));
        v.push(bad.subarray(cut));
        v.end();
      }).toThrow(/offset 3/);
    }
  });

  it('reports a file that ends inside a multi-byte character', () => {
    const v = new Utf8Validator();
    v.push(Buffer.from([0x41, 0xe2, 0x82]));
    expect(() => v.end()).toThrow(/offset 1/);
  });

  it('agrees with a strict decoder on random bytes, including surrogates and overlongs', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let valid = true;
        try {
          decoder.decode(bytes);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8(bytes) < 0).toBe(valid);
      }),
      { numRuns: 2000 },
    );
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0);
  });
});

describe('header checks', () => {
  const header = (text: string) => rowOf(text.split(','));

  it.each([
    ['Context;Response', /semicolons/],
    ['Context\tResponse', /tabs/],
  ])('names an unexpected delimiter in %j (matrix 14)', (text, message) => {
    expect(() => checkHeader(header(text))).toThrow(UnexpectedDelimiterError);
    expect(() => checkHeader(header(text))).toThrow(message);
  });

  it('refuses a repeated column name (matrix 13)', () => {
    expect(() => checkHeader(header('Context,Response,Context'))).toThrow(SchemaMismatchError);
    expect(() => checkHeader(header('Context,Response,Context'))).toThrow(
      /columns 1 and 3 have the same name/,
    );
  });

  it('allows empty names from trailing delimiters', () => {
    expect(checkHeader(header('a,b,,'))).toEqual(['a', 'b', '', '']);
  });
});

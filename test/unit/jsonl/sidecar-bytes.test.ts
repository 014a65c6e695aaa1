import { describe, expect, it } from 'vitest';
import { readByteLines, readLines } from '../../../lambda/core/jsonl/lines';
import { parseSidecarLine, sidecarRecordId } from '../../../lambda/core/jsonl/sidecar';
import { parseSidecarBytes, sidecarBytesRecordId } from '../../../lambda/core/jsonl/sidecar-bytes';

const row = (recordId: string, n: number, cells: string[]) => JSON.stringify({ recordId, row: n, cells });

/** Lines in and out of Prepare's shape: every one must read the same as bytes and as text. */
const LINES = [
  row('r1', 1, ['plain', 'b, c', 'é 日本 😀', '']),
  row('r2', 2, []),
  row('r3', 3, ['=1+1', '-2', '@x', '+']),
  row('r4', 4, ['quote "q"', 'back\\slash', 'tab\t', 'new\nline', '\u0001', '\ud83d\ude00', '\ud800']),
  row('id with "quote"', 5, ['a']),
  '{"recordId":"r6","row":6,"cells":["raw \u0001 control"]}',
  '{"recordId":"r7","row":07,"cells":["a"]}',
  '{"recordId":"r8","row":8.0,"cells":["a"]}',
  '{"recordId":"r9","row":0,"cells":["a"]}',
  '{"recordId":"r10","row":10,"cells":["a"]',
  '{"recordId":"r11","row":11,"cells":["a"]} ',
  '{"recordId":"r12","row":12,"cells":["a",]}',
  '{"recordId":"r13","row":13,"cells":["a" ,"b"]}',
  '{"recordId":"r14","row":14,"cells":["a","b"],"x":1}',
  '{"row":15,"recordId":"r15","cells":["a"]}',
  '{"recordId":"r16","row":16,"cells":[1]}',
  '{"recordId":"r17","row":1e3,"cells":["a"]}',
  '{"recordId":"r18","row":123456789012345678,"cells":["a"]}',
  '{"recordId":"r19","row":19,"cells":["\\u0061\\/"]}',
  '{"recordId":"r20","row":20,"cells":["a"]}}',
  'not json',
];

function plain(value: { recordId: string; row: number; cells: readonly string[] } | undefined) {
  return value && { recordId: value.recordId, row: value.row, cells: [...value.cells] };
}

describe('parseSidecarBytes: the same rows as JSON.parse of the text', () => {
  for (const line of LINES) {
    it(line.slice(0, 60), () => {
      const bytes = Buffer.from(line, 'utf8');
      const text = bytes.toString('utf8');
      expect(plain(parseSidecarBytes(bytes))).toEqual(plain(parseSidecarLine(text)));
      expect(sidecarBytesRecordId(bytes)).toBe(sidecarRecordId(text));
    });
  }

  it('reads a line with invalid UTF-8 as the text reader does (U+FFFD)', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"recordId":"r","row":1,"cells":["a'),
      Buffer.from([0xff]),
      Buffer.from('"]}'),
    ]);
    expect(plain(parseSidecarBytes(bytes))).toEqual({ recordId: 'r', row: 1, cells: ['a\ufffd'] });
  });

  it('copies the cells only for lines in Prepare shape', () => {
    expect(parseSidecarBytes(Buffer.from(LINES[0]!))?.spelled?.quoted).toEqual([false, true, false, false]);
    expect(parseSidecarBytes(Buffer.from(LINES[2]!))?.spelled).toBeUndefined();
    expect(parseSidecarBytes(Buffer.from(LINES[3]!))?.spelled).toBeUndefined();
  });
});

describe('readLines and readByteLines', () => {
  const chunked = (bytes: Buffer, size: number) =>
    (async function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })();

  it('split across chunk boundaries, CRLF, blank lines and a last line without newline', async () => {
    const bytes = Buffer.from('a,é\r\n\n日本😀 line\r\n\r\nlast', 'utf8');
    for (const size of [1, 2, 3, 5, 1000]) {
      const text: string[] = [];
      for await (const line of readLines(chunked(bytes, size))) text.push(line);
      const asBytes: string[] = [];
      for await (const line of readByteLines(chunked(bytes, size))) asBytes.push(line.toString('utf8'));
      expect(text).toEqual(['a,é', '日本😀 line', 'last']);
      expect(asBytes).toEqual(text);
    }
  });

  it('decode broken UTF-8 as the whole stream would, a replacement character per bad sequence', async () => {
    // A lone continuation byte, then a three-byte character cut by the newline.
    const bytes = Buffer.from([0x61, 0x80, 0x62, 0x0a, 0xe6, 0x97, 0x0a, 0x63]);
    const whole = new TextDecoder().decode(bytes).split('\n');
    for (const size of [1, 2, 8]) {
      const got: string[] = [];
      for await (const line of readLines(chunked(bytes, size))) got.push(line);
      expect(got).toEqual(['a\ufffdb', '\ufffd', 'c']);
      expect(got).toEqual(whole);
    }
  });

  it('read a line spanning many chunks whole', async () => {
    const long = 'x'.repeat(100_000);
    const got: string[] = [];
    for await (const line of readLines(chunked(Buffer.from(`${long}\nend\n`), 7))) got.push(line);
    expect(got).toEqual([long, 'end']);
  });
});

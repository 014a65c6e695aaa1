import { describe, expect, it } from 'vitest';
import { InvalidEncodingError, InvalidJsonlError, RowErrorCode } from '../../../lambda/core/contract/errors';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { cellStrings } from '../../../lambda/core/csv/parser';
import { readJsonl } from '../../../lambda/core/input/jsonl';
import type { SourceRow } from '../../../lambda/core/input/source';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { prepare } from '../../../lambda/core/prepare/prepare';
import { chunked, lines, run, testPipeline } from '../prepare/helpers';

async function rowsOf(text: string | Buffer, chunk = 5, max = 1 << 20): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const batch of readJsonl(chunked(text, chunk), max)) out.push(...batch);
  return out;
}

describe('readJsonl', () => {
  it('takes the first object keys as the header, in order, and that line as the first row', async () => {
    const rows = await rowsOf('{"b":"x","a":1}\n{"a":2,"b":"y"}\n');
    expect(rows.map(cellStrings)).toEqual([
      ['b', 'a'],
      ['x', '1'],
      ['y', '2'],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 1, 2]);
  });

  it('keeps numbers, booleans and nested values as their JSON text as written; null and missing keys are empty', async () => {
    const rows = await rowsOf(
      '{"s":"t\\u00e9\\n","n":12345678901234567890,"f":1.50,"b":true,"z":null,"o":{"k":[1, 2]},"a":["x"]}\n{"s":"only"}\n',
    );
    expect(cellStrings(rows[1]!)).toEqual([
      'té\n',
      '12345678901234567890',
      '1.50',
      'true',
      '',
      '{"k":[1, 2]}',
      '["x"]',
    ]);
    expect(cellStrings(rows[2]!)).toEqual(['only', '', '', '', '', '', '']);
  });

  it('skips blank lines and a byte-order mark, counts physical lines, and reads CRLF', async () => {
    const rows = await rowsOf('\ufeff\n{"a":"1"}\r\n\r\n   \n{"a":"2"}');
    expect(rows.map((r) => [r.line, ...cellStrings(r)])).toEqual([
      [2, 'a'],
      [2, '1'],
      [5, '2'],
    ]);
  });

  it('flags a later new key with the line and the key, keeping the extra value after the columns', async () => {
    const rows = await rowsOf('{"a":"1"}\n{"a":"2","c":"3"}\n');
    expect(rows[2]!.issue).toEqual({
      code: RowErrorCode.NewKey,
      message:
        'Line 2 has the key "c", which the first record (line 1) does not have; the first record\'s keys are the columns.',
    });
    expect(cellStrings(rows[2]!)).toEqual(['2', '3']);
  });

  it('flags a later line that is not a JSON object, keeping its text as the one cell', async () => {
    const rows = await rowsOf('{"a":"1"}\n[1,2]\n{"a": tru}\n{"a":"1"} x\n');
    expect(rows.slice(2).map((r) => r.issue?.code)).toEqual([
      RowErrorCode.InvalidJson,
      RowErrorCode.InvalidJson,
      RowErrorCode.InvalidJson,
    ]);
    expect(rows[2]!.issue?.message).toBe('Line 2 is not a JSON object: it is not a JSON object.');
    expect(cellStrings(rows[3]!)).toEqual(['{"a": tru}']);
  });

  it('fails the file when the first record is not an object (no header) or the bytes are not UTF-8', async () => {
    await expect(rowsOf('\n[1]\n')).rejects.toThrow(InvalidJsonlError);
    await expect(rowsOf('\n[1]\n')).rejects.toThrow(/Line 2, the first record/);
    await expect(rowsOf(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).rejects.toThrow(
      InvalidEncodingError,
    );
    await expect(rowsOf(Buffer.from([0xff, 0xfe, 0x7b, 0x00]))).rejects.toThrow(/UTF-16/);
  });

  it('returns a line over the row limit as too large, without buffering it', async () => {
    const rows = await rowsOf(`{"a":"1"}\n{"a":"${'x'.repeat(100)}"}\n{"a":"2"}\n`, 8, 40);
    expect(rows.map((r) => r.tooLarge)).toEqual([false, false, true, false]);
    expect(rows[2]!.line).toBe(2);
  });
});

describe('prepare over JSON Lines', () => {
  it('rejects the new-key and non-object rows with their reasons and keeps the accounting', async () => {
    const text =
      '{"Context":"a","Response":"b"}\n{"Context":"c","Response":"d","x":1}\nnope\n{"Response":"f","Context":"e"}\n';
    const sinks = memorySinks();
    const plan = await prepare(chunked(text), {
      pipeline: testPipeline(),
      sinks,
      keys: LOCAL_KEYS,
      input: { name: 'in.JSONL' },
    });
    expect(plan).toMatchObject({ rows: 4, records: 2, rejected: 2, header: ['Context', 'Response'] });
    const rejected = lines(sinks, 'rows/rejected.jsonl');
    expect(rejected.map((r) => [r.row, r.line, r.code])).toEqual([
      [2, 2, 'ROW_NEW_KEY'],
      [3, 3, 'ROW_INVALID_JSON'],
    ]);
    expect(rejected[0]!.cells).toEqual(['c', 'd', '1']);
    expect(lines(sinks, 'rows/shard-0001.jsonl').map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['e', 'f'],
    ]);
  });

  it('reads CSV as before when no input name is given', async () => {
    const { plan } = await run('Context,Response\na,b\n');
    expect(plan.rows).toBe(1);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidParquetError } from '../../../lambda/core/contract/errors';
import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import { cellStrings } from '../../../lambda/core/csv/parser';
import { parquetCell, readParquet } from '../../../lambda/core/input/parquet';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { prepare } from '../../../lambda/core/prepare/prepare';
import { writeTableParquet } from '../../helpers/input-formats';
import { chunked, lines, testPipeline } from '../prepare/helpers';

const dir = mkdtempSync(join(tmpdir(), 'parquet-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function batchesOf(path: string) {
  const batches: { line: number; cells: string[] }[][] = [];
  for await (const batch of readParquet(path, 1 << 20)) {
    batches.push(batch.map((row) => ({ line: row.line, cells: cellStrings(row) })));
  }
  return batches;
}

describe('readParquet', () => {
  it('yields the schema as the header, then one batch per row group with 1-based row numbers', async () => {
    const path = join(dir, 'groups.parquet');
    writeTableParquet(
      path,
      { header: ['id', 'q'], rows: Array.from({ length: 5 }, (_, i) => [`q${i + 1}`, `x${i}`]) },
      { rowGroupSize: 2 },
    );
    const batches = await batchesOf(path);
    expect(batches.map((b) => b.length)).toEqual([1, 2, 2, 1]);
    expect(batches[0]).toEqual([{ line: 0, cells: ['id', 'q'] }]);
    expect(
      batches
        .flat()
        .slice(1)
        .map((r) => r.line),
    ).toEqual([1, 2, 3, 4, 5]);
    expect(batches[3]![0]!.cells).toEqual(['q5', 'x4']);
  });

  it('turns typed and nested values into text: JSON for numbers, booleans and nested, ISO 8601 for times', async () => {
    const path = join(dir, 'types.parquet');
    parquetWriteFile({
      filename: path,
      codec: 'UNCOMPRESSED',
      columnData: [
        { name: 's', data: ['a', null], type: 'STRING' },
        { name: 'i', data: [1, 2], type: 'INT32' },
        { name: 'l', data: [9007199254740993n, -1n], type: 'INT64' },
        { name: 'd', data: [0.1, 2.5], type: 'DOUBLE' },
        { name: 'b', data: [true, false], type: 'BOOLEAN' },
        { name: 't', data: [new Date('2024-01-02T03:04:05.000Z'), null], type: 'TIMESTAMP' },
        { name: 'j', data: [{ k: [1, 'two'] }, null], type: 'JSON' },
      ],
    });
    const rows = (await batchesOf(path)).flat();
    expect(rows[0]!.cells).toEqual(['s', 'i', 'l', 'd', 'b', 't', 'j']);
    expect(rows[1]!.cells).toEqual([
      'a',
      '1',
      '9007199254740993',
      '0.1',
      'true',
      '2024-01-02T03:04:05.000Z',
      '{"k":[1,"two"]}',
    ]);
    expect(rows[2]!.cells).toEqual(['', '2', '-1', '2.5', 'false', '', '']);
  });

  it('writes nested values as JSON text with every digit of 64-bit integers and bytes as base64', () => {
    expect(parquetCell({ a: [1n << 62n, null], b: new Uint8Array([1, 2]), c: new Date(0) })).toBe(
      '{"a":[4611686018427387904,null],"b":"AQI=","c":"1970-01-01T00:00:00.000Z"}',
    );
    expect(parquetCell([{ x: 1 }])).toBe('[{"x":1}]');
    expect(parquetCell(Number.NaN)).toBe('NaN');
  });

  it('reads snappy and gzip files alike, and has the zstd, brotli and lz4 decompressors wired', async () => {
    const table = { header: ['a'], rows: [['x'], ['y']] };
    const snappy = join(dir, 'snappy.parquet');
    writeTableParquet(snappy, table, { codec: 'SNAPPY' });
    expect((await batchesOf(snappy)).flat().map((r) => r.cells[0])).toEqual(['a', 'x', 'y']);
    const gzip = join(dir, 'gzip.parquet');
    parquetWriteFile({
      filename: gzip,
      codec: 'GZIP',
      compressors: { GZIP: (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes)) },
      columnData: [{ name: 'a', data: ['x', 'y'], type: 'STRING' }],
    });
    expect((await batchesOf(gzip)).flat().map((r) => r.cells[0])).toEqual(['a', 'x', 'y']);
    // No zstd writer on Node 20: the decompressors the reader passes to hyparquet are checked instead.
    const { compressors } = await import('hyparquet-compressors');
    expect(Object.keys(compressors)).toEqual(expect.arrayContaining(['GZIP', 'ZSTD', 'BROTLI', 'LZ4']));
  });

  it('refuses a file that is not Parquet or is damaged with INVALID_PARQUET', async () => {
    const text = join(dir, 'text.parquet');
    writeFileSync(text, 'a,b\n');
    await expect(batchesOf(text)).rejects.toThrow(InvalidParquetError);
    await expect(batchesOf(text)).rejects.toThrow(/does not start with the Parquet signature/);
    const good = join(dir, 'good.parquet');
    writeTableParquet(good, { header: ['a'], rows: [['x']] });
    const cut = join(dir, 'cut.parquet');
    writeFileSync(cut, readFileSync(good).subarray(0, 40));
    await expect(batchesOf(cut)).rejects.toThrow(InvalidParquetError);
  });
});

describe('prepare over Parquet', () => {
  it('names rows by their row number and spills the stream when no path is given', async () => {
    const path = join(dir, 'prep.parquet');
    writeTableParquet(path, {
      header: ['Context', 'Response'],
      rows: [
        ['a', 'b'],
        ['c', 'd'],
      ],
    });
    const sinks = memorySinks();
    const plan = await prepare(chunked(readFileSync(path), 100), {
      pipeline: testPipeline({ idColumn: 'Context' }),
      sinks,
      keys: LOCAL_KEYS,
      input: { name: 'inbox/qa/file.PARQUET' },
    });
    expect(plan).toMatchObject({ rows: 2, records: 2, header: ['Context', 'Response'] });
    expect(lines(sinks, 'rows/shard-0001.jsonl').map((r) => [r.recordId, r.line])).toEqual([
      ['a', 1],
      ['c', 2],
    ]);
  });
});

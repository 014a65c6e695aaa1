import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidCsvError,
  NoRecordsError,
  RowErrorCode,
  SchemaMismatchError,
  TooManyRejectedRowsError,
} from '../../../lambda/core/contract/errors';
import { jsonLine } from '../../../lambda/core/models/input/index';
import { compileTemplate, renderTemplate } from '../../../lambda/core/pipeline/prompt';
import { memorySinks } from '../../../lambda/core/prepare/memory-sink';
import { lines, run, testPipeline } from './helpers';

function promptOf(line: Record<string, unknown>): string {
  const input = line.modelInput as { messages: { content: { text: string }[] }[] };
  return input.messages[0]!.content[0]!.text;
}

describe('prepare', () => {
  it('writes shard lines with exactly recordId and modelInput, and sidecars that match them', async () => {
    const { plan, sinks } = await run('Context,Response\n"a, ""b""",c\nd,"e\r\nf"\n');
    const shard = lines(sinks, 'batch-input/shard-0001.jsonl');
    const rows = lines(sinks, 'rows/shard-0001.jsonl');
    expect(shard.map((l) => Object.keys(l))).toEqual([
      ['recordId', 'modelInput'],
      ['recordId', 'modelInput'],
    ]);
    expect(shard.map((l) => l.recordId)).toEqual(['r000000001', 'r000000002']);
    expect(rows).toEqual([
      { recordId: 'r000000001', row: 1, line: 2, cells: ['a, "b"', 'c'] },
      { recordId: 'r000000002', row: 2, line: 3, cells: ['d', 'e\r\nf'] },
    ]);
    expect(promptOf(shard[1]!)).toBe('Client: d\nTherapist: e\r\nf');
    expect(plan).toMatchObject({
      rows: 2,
      records: 2,
      rejected: 0,
      header: ['Context', 'Response'],
      belowMinimum: false,
    });
    expect(plan.shards).toEqual([
      {
        shard: 1,
        inputKey: 'batch-input/shard-0001.jsonl',
        rowsKey: 'rows/shard-0001.jsonl',
        records: 2,
        bytes: Buffer.byteLength(sinks.objects.get('batch-input/shard-0001.jsonl')!),
      },
    ]);
    expect(JSON.parse(sinks.objects.get('pipeline.json')!).name).toBe('test');
    expect(JSON.parse(sinks.objects.get('plan.json')!)).toEqual(plan);
  });

  it('gives the same ids and bytes on a re-run, whatever the chunking', async () => {
    const csv = 'Context,Response\n1,2\n3,4\n5,"6\n7"\n';
    const a = await run(csv, testPipeline(), { chunk: 1 });
    const b = await run(csv, testPipeline(), { chunk: 1000 });
    expect([...a.sinks.objects]).toEqual([...b.sinks.objects]);
  });

  it.each([
    ['', /empty/],
    ['Context,Response\n', /header but no data rows/],
    ['\n\r\n', /empty/],
  ])('refuses %j with NO_RECORDS (matrix 4)', async (csv, message) => {
    await expect(run(csv)).rejects.toThrow(NoRecordsError);
    await expect(run(csv)).rejects.toThrow(message);
  });

  it('refuses a missing template column before writing anything (matrix 13)', async () => {
    const sinks = memorySinks();
    await expect(run('Context,Answer\n1,2\n', testPipeline(), { sinks })).rejects.toThrow(
      SchemaMismatchError,
    );
    expect(sinks.objects.size).toBe(0);
    expect(sinks.aborted).toEqual([]);
  });

  it('rejects ragged rows with their line number and goes on (matrix 11)', async () => {
    const csv = `Context,Response\n${'a,b\n'.repeat(20)}x\ny,z,w\n`;
    const { plan, sinks } = await run(csv);
    expect(plan).toMatchObject({ rows: 22, records: 20, rejected: 2 });
    expect(lines(sinks, 'rows/rejected.jsonl')).toEqual([
      {
        row: 21,
        line: 22,
        recordId: 'r000000021',
        code: RowErrorCode.ColumnCount,
        message: expect.stringMatching(/line 22 has 1/),
        cells: ['x'],
      },
      {
        row: 22,
        line: 23,
        recordId: 'r000000022',
        code: RowErrorCode.ColumnCount,
        message: expect.stringMatching(/line 23 has 3/),
        cells: ['y', 'z', 'w'],
      },
    ]);
    expect(lines(sinks, 'rows/shard-0001.jsonl')).toHaveLength(20);
  });

  it('fails above the rejection threshold and aborts what it opened', async () => {
    const sinks = memorySinks();
    const csv = `Context,Response\n${'a,b\n'.repeat(50)}${'x\n'.repeat(11)}`;
    await expect(run(csv, testPipeline(), { sinks })).rejects.toThrow(TooManyRejectedRowsError);
    await expect(run(csv, testPipeline())).rejects.toThrow(/11 of 61 rows/);
    expect(sinks.aborted).toContain('rows/rejected.jsonl');
    expect(sinks.objects.has('plan.json')).toBe(false);
    const tenBad = `Context,Response\n${'a,b\n'.repeat(5)}${'x\n'.repeat(10)}`;
    expect((await run(tenBad)).plan.rejected).toBe(10);
  });

  /** `good` well-formed rows followed by `bad` one-cell rows (ROW_COLUMN_COUNT). */
  const ragged = (good: number, bad: number) =>
    `Context,Response\n${'a,b\n'.repeat(good)}${'x\n'.repeat(bad)}`;

  it('goes on with more than 10 rejected rows when they are at most 10% of the rows (matrix 11)', async () => {
    const { plan } = await run(ragged(989, 11), testPipeline(), { chunk: 4096 });
    expect(plan).toMatchObject({ rows: 1000, records: 989, rejected: 11 });
    // Exactly 10%: 11 of 110 goes on; one row fewer (11 of 109) or one more rejected (12 of 110) fails.
    expect((await run(ragged(99, 11))).plan).toMatchObject({ rows: 110, rejected: 11 });
    await expect(run(ragged(98, 11))).rejects.toThrow(/11 of 109 rows/);
    await expect(run(ragged(98, 12))).rejects.toThrow(/12 of 110 rows/);
  });

  it('goes on with exactly 10 rejected rows whatever their share, and fails at 11 (matrix 11)', async () => {
    // 10 of 11 and 10 of 10 (no valid record: every row listed as rejected) are within the count.
    expect((await run(ragged(1, 10))).plan).toMatchObject({ rows: 11, records: 1, rejected: 10 });
    expect((await run(ragged(0, 10))).plan).toMatchObject({ rows: 10, records: 0, rejected: 10 });
    await expect(run(ragged(0, 11))).rejects.toThrow(TooManyRejectedRowsError);
  });

  it('reads a line of only spaces as a row (matrix 12)', async () => {
    const one = testPipeline({ promptTemplate: 'Say: {{Context}}' });
    const { plan, sinks } = await run('Context\nhello\n   \n', one);
    expect(plan).toMatchObject({ rows: 2, records: 2, rejected: 0 });
    expect(lines(sinks, 'rows/shard-0001.jsonl').map((r) => r.cells)).toEqual([['hello'], ['   ']]);
    const two = await run('Context,Response\na,b\n  \n');
    expect(two.plan).toMatchObject({ rows: 2, records: 1, rejected: 1 });
    expect(lines(two.sinks, 'rows/rejected.jsonl')).toEqual([
      expect.objectContaining({ line: 3, code: RowErrorCode.ColumnCount, cells: ['  '] }),
    ]);
  });

  it('rejects data rows with a trailing comma the header does not have (matrix 12)', async () => {
    // On every line, header included, it is an unnamed last column and the rows go on.
    const every = await run('Context,Response,\na,b,\nc,d,\n');
    expect(every.plan).toMatchObject({
      rows: 2,
      records: 2,
      rejected: 0,
      header: ['Context', 'Response', ''],
    });
    const { plan, sinks } = await run('Context,Response\na,b,\nc,d\ne,f,\n');
    expect(plan).toMatchObject({ rows: 3, records: 1, rejected: 2 });
    expect(lines(sinks, 'rows/rejected.jsonl')).toEqual([
      expect.objectContaining({ line: 2, code: RowErrorCode.ColumnCount, cells: ['a', 'b', ''] }),
      expect.objectContaining({ line: 4, code: RowErrorCode.ColumnCount, cells: ['e', 'f', ''] }),
    ]);
    expect(lines(sinks, 'rows/rejected.jsonl')[0]!.message).toMatch(
      /line 2 has 3 cell\(s\); the header has 2/,
    );
  });

  it('rejects one enormous cell and keeps the rest (matrix 17)', async () => {
    const big = 'x'.repeat(200_000);
    const { plan, sinks } = await run(`Context,Response\nok,1\n"${big}",2\nok,3\n`, testPipeline(), {
      chunk: 65536,
      maxRecordBytes: 100_000,
    });
    expect(plan).toMatchObject({ rows: 3, records: 2, rejected: 1 });
    const [rejected] = lines(sinks, 'rows/rejected.jsonl');
    expect(rejected).toMatchObject({ row: 2, line: 3, code: RowErrorCode.TooLarge, cells: null });
    expect(lines(sinks, 'batch-input/shard-0001.jsonl').map((l) => l.recordId)).toEqual([
      'r000000001',
      'r000000003',
    ]);
  });

  it('rejects a record whose rendered line is over the limit', async () => {
    const { plan, sinks } = await run(`Context,Response\n${'\\'.repeat(3000)},1\nok,2\n`, testPipeline(), {
      maxRecordBytes: 5000,
    });
    expect(plan.rejected).toBe(1);
    expect(lines(sinks, 'rows/rejected.jsonl')[0]).toMatchObject({
      recordId: 'r000000001',
      code: RowErrorCode.TooLarge,
    });
  });

  it('sends formula-looking cells as plain data (matrix 19)', async () => {
    const { sinks } = await run("Context,Response\n=SUM(A1:A9),+cmd|' /C calc'!A0\n@x,-1\n");
    const shard = lines(sinks, 'batch-input/shard-0001.jsonl');
    expect(promptOf(shard[0]!)).toBe("Client: =SUM(A1:A9)\nTherapist: +cmd|' /C calc'!A0");
    expect(promptOf(shard[1]!)).toBe('Client: @x\nTherapist: -1');
  });

  it('uses idColumn values as record ids and rejects empty, unsafe and repeated ones', async () => {
    const p = testPipeline({ idColumn: 'id' });
    const { plan, sinks } = await run(
      'id,Context,Response\nA-1,a,b\nA-1,c,d\n,e,f\nno way,g,h\nB_2,i,j\n',
      p,
    );
    expect(lines(sinks, 'batch-input/shard-0001.jsonl').map((l) => l.recordId)).toEqual(['A-1', 'B_2']);
    expect(lines(sinks, 'rows/rejected.jsonl').map((r) => [r.line, r.code])).toEqual([
      [3, RowErrorCode.InvalidId],
      [4, RowErrorCode.InvalidId],
      [5, RowErrorCode.InvalidId],
    ]);
    expect(plan.rejected).toBe(3);
    await expect(run('Context,Response\na,b\n', p)).rejects.toThrow(
      /needs its idColumn "id", which the file's header \(2 columns\) does not have/,
    );
  });

  it('reports belowMinimum instead of failing', async () => {
    const { plan } = await run('Context,Response\na,b\n', testPipeline({ minRecordsPerJob: 100 }));
    expect(plan).toMatchObject({ records: 1, belowMinimum: true });
  });

  it('stops at an unterminated quote and aborts every open object (matrix 10)', async () => {
    const sinks = memorySinks();
    const csv = `Context,Response\n${'a,b\n'.repeat(30)}c,"open\n`;
    await expect(run(csv, testPipeline(), { sinks, chunk: 16 })).rejects.toThrow(InvalidCsvError);
    await expect(run(csv)).rejects.toThrow(/line 32/);
    expect(sinks.aborted.sort()).toEqual([
      'batch-input/shard-0001.jsonl',
      'rows/rejected.jsonl',
      'rows/shard-0001.jsonl',
    ]);
    expect(sinks.objects.size).toBe(0);
  });

  it('aborts everything when a write fails', async () => {
    const sinks = memorySinks(/rows\/shard/);
    await expect(run('Context,Response\na,b\n', testPipeline(), { sinks })).rejects.toThrow(/write to rows/);
    expect(sinks.aborted).toContain('batch-input/shard-0001.jsonl');
  });

  it('estimates input tokens from the bytes sent and prices them', async () => {
    const { plan } = await run('Context,Response\nabcd,efgh\n', testPipeline({ system: 'SYS!' }));
    const sent = 'SYS!'.length + 'Client: abcd\nTherapist: efgh'.length;
    expect(plan.estimate.inputTokens).toBe(Math.ceil(sent / 4));
    expect(plan.estimate.inputCostUsd.batch).toBeGreaterThan(0);
  });

  it("counts a quoted cell's doubled quotes once in the estimate, whatever the chunking", async () => {
    const csv = 'Context,Response\n"say ""hi"" ""now""",""""\n';
    const sent = 'SYS!'.length + 'Client: say "hi" "now"\nTherapist: "'.length;
    for (const chunk of [1, 2, 3, 5, 8, 13, 1000]) {
      const { plan } = await run(csv, testPipeline({ system: 'SYS!' }), { chunk });
      expect(plan.estimate.inputTokens).toBe(Math.ceil(sent / 4));
    }
  });

  it('carries any cell text byte-exact into the prompt and the sidecar; every line parses (matrix 9, 18)', async () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(
          '"',
          ',',
          '\n',
          '\r',
          '\r\n',
          '\u0000',
          '\u001f',
          '\u007f',
          '\\',
          '\u2028',
          '{{Context}}',
          '=',
          'é',
          '😊',
        ),
        fc.string({ unit: 'grapheme', maxLength: 3 }),
      ),
    });
    const pipeline = testPipeline();
    const template = compileTemplate(pipeline.promptTemplate, ['Context', 'Response']);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 50 }),
        async (rows, chunk) => {
          const csv = stringify([['Context', 'Response'], ...rows], {
            quoted_match: /[\r\n]/,
            quoted_empty: true,
          });
          const { sinks } = await run(csv, pipeline, { chunk });
          const shardText = sinks.objects.get('batch-input/shard-0001.jsonl')!;
          const shard = lines(sinks, 'batch-input/shard-0001.jsonl');
          const side = lines(sinks, 'rows/shard-0001.jsonl');
          expect(shard.map(promptOf)).toEqual(rows.map((cells) => renderTemplate(template, cells)));
          expect(side.map((s) => s.cells)).toEqual(rows);
          expect(shardText).toBe(
            rows
              .map(
                (cells, i) =>
                  `${jsonLine(pipeline, `r${String(i + 1).padStart(9, '0')}`, renderTemplate(template, cells))}\n`,
              )
              .join(''),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});

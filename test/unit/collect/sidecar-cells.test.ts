import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResultWriter } from '../../../lambda/core/collect/result-writer';
import { canonicalCellsJson } from '../../../lambda/core/collect/sidecar-cells';
import { StringSink } from '../../../lambda/core/collect/sink';

/** A sidecar line exactly as Prepare writes it. */
function sidecar(cells: readonly string[]): string {
  return JSON.stringify({ recordId: 'r000000001', row: 1, line: 2, cells });
}

const cellText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom('"', '\\', ',', '","', '\\","', '\n', '\u0001', '\u007f', 'é', '😊', 'a', '[', ']'),
      {
        maxLength: 12,
      },
    )
    .map((parts) => parts.join('')),
);

describe('canonicalCellsJson', () => {
  it('returns each cell as JSON.stringify writes it for any cells on a Prepare line (or gives up on \\u)', () => {
    fc.assert(
      fc.property(fc.array(cellText, { minLength: 1, maxLength: 5 }), (cells) => {
        const line = sidecar(cells);
        const got = canonicalCellsJson(line, cells.length);
        if (line.includes('\\u')) expect(got).toBeUndefined();
        else expect(got).toEqual(cells.map((c) => JSON.stringify(c)));
      }),
    );
  });

  it('splits cells whose text holds quotes, commas and backslashes next to the separators', () => {
    const cells = ['', 'a\\', '","', '\\","\\', '"', ''];
    expect(canonicalCellsJson(sidecar(cells), cells.length)).toEqual(cells.map((c) => JSON.stringify(c)));
  });

  it('gives up on spellings JSON.stringify would not write, and on lines not shaped as Prepare writes them', () => {
    const line = (cells: string) => `{"recordId":"r1","row":1,"line":2,"cells":[${cells}]}`;
    expect(canonicalCellsJson(line('"\\u0041","b"'), 2)).toBeUndefined();
    expect(canonicalCellsJson(line('"a\\/b","b"'), 2)).toBeUndefined();
    expect(canonicalCellsJson(line('"\ud800","b"'), 2)).toBeUndefined();
    expect(canonicalCellsJson(line('"a", "b"'), 2)).toBeUndefined();
    expect(canonicalCellsJson('{"row":1,"recordId":"r1","cells":["a"]}', 1)).toBeUndefined();
    expect(canonicalCellsJson('{"recordId":"r1","cells":["a"],"row":1}', 1)).toBeUndefined();
    expect(canonicalCellsJson(line(''), 0)).toBeUndefined();
    expect(canonicalCellsJson('{"recordId":"r1","row":1,"cells":["a"]}', 1)).toEqual(['"a"']);
  });
});

describe('ResultWriter with the cells as JSON text', () => {
  async function jsonl(header: string[], cells: string[], withJson: boolean): Promise<string> {
    const sinks = { csv: new StringSink(), jsonl: new StringSink(), errors: new StringSink() };
    const writer = new ResultWriter(header, [], sinks);
    const cellsJson = withJson ? canonicalCellsJson(sidecar(cells), cells.length) : undefined;
    await writer.write({ row: 1, recordId: 'r1', cells, cellsJson }, { status: 'ok', output: 'x' });
    return sinks.jsonl.text();
  }

  it('writes the same results.jsonl line as serialising the cells, whatever the header', async () => {
    const cases: [string[], string[]][] = [
      [
        ['Context', 'Response'],
        ['a "quoted" \\ cell\n', 'é 😊'],
      ],
      [
        ['b', '1', '0'],
        ['x', 'y', 'z'],
      ],
      [
        ['__proto__', 'a'],
        ['x', 'y'],
      ],
      [
        ['a', 'a'],
        ['x', 'y'],
      ],
    ];
    for (const [header, cells] of cases) {
      const copied = await jsonl(header, cells, true);
      expect(copied).toBe(await jsonl(header, cells, false));
      expect(JSON.parse(copied).input).toBeTypeOf('object');
    }
  });
});

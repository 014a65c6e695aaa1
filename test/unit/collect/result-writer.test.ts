import { describe, expect, it } from 'vitest';
import { ResultWriter, uniqueKeys } from '../../../lambda/core/collect/result-writer';
import { BufferedSink, StringSink } from '../../../lambda/core/collect/sink';

/** A results.jsonl line's start as the writer built it before it cached the members: a keyed object. */
function reference(header: string[], row: number, recordId: string, cells: string[]): string {
  const values: Record<string, string> = {};
  uniqueKeys(header).forEach((key, i) => {
    values[key] = cells[i] ?? '';
  });
  return `{"row":${row},"record_id":${JSON.stringify(recordId)},"status":"missing","input":${JSON.stringify(values)},`;
}

async function firstJsonLine(header: string[], cells: string[]): Promise<string> {
  const jsonl = new StringSink();
  const sinks = {
    csv: new BufferedSink(new StringSink()),
    jsonl: new BufferedSink(jsonl, 64),
    errors: new BufferedSink(new StringSink()),
  };
  const writer = new ResultWriter(header, [], sinks);
  await writer.write({ row: 7, recordId: 'r7', cells }, { status: 'missing', output: '' });
  await sinks.jsonl.flush();
  return jsonl.text();
}

describe('ResultWriter: the `input` object of results.jsonl', () => {
  const headers: [string, string[], string[]][] = [
    ['plain names', ['id', 'text'], ['1', 'hello']],
    [
      'integer-like names come first, as in a JavaScript object',
      ['b', '10', 'a', '2'],
      ['B', 'ten', 'A', 'two'],
    ],
    ['repeated and empty names', ['x', 'x', '', ''], ['1', '2', '3', '4']],
    ['__proto__ is dropped as JSON.stringify of an object drops it', ['__proto__', 'ok'], ['p', 'k']],
    ['escapes, unicode and surrogate pairs', ['"q"', 'é\n'], ['a"b\\c\u2028', '😀\ud800 é\t']],
    ['cells missing from a short row', ['a', 'b', 'c'], ['only']],
  ];

  for (const [name, header, cells] of headers) {
    it(`writes the same bytes as JSON.stringify of a header -> cell object: ${name}`, async () => {
      const line = await firstJsonLine(header, cells);
      expect(line.startsWith(reference(header, 7, 'r7', cells))).toBe(true);
      expect(() => JSON.parse(line)).not.toThrow();
    });
  }
});

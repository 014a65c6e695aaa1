import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelOutputText } from '../../../lambda/core/jsonl/output-text';

/** What the text must equal whenever it is found: the parsed member, serialised. */
function expected(line: string): string {
  return JSON.stringify((JSON.parse(line) as { modelOutput: unknown }).modelOutput);
}

const body = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 });
const id = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 1e9 }));

describe('modelOutputText', () => {
  it('finds the member as Bedrock lays the line out (modelInput, modelOutput, recordId)', () => {
    fc.assert(
      fc.property(body, body, id, (input, output, recordId) => {
        const line = JSON.stringify({ modelInput: input, modelOutput: output, recordId });
        expect(modelOutputText(line, recordId)).toBe(expected(line));
      }),
      { numRuns: 500 },
    );
  });

  it('finds it when modelOutput is the last member (recordId first)', () => {
    fc.assert(
      fc.property(body, body, id, (input, output, recordId) => {
        const line = JSON.stringify({ recordId, modelInput: input, modelOutput: output });
        expect(modelOutputText(line, recordId)).toBe(expected(line));
      }),
      { numRuns: 300 },
    );
  });

  it('never returns another value: nested or repeated modelOutput keys, look-alike keys, other layouts', () => {
    const decoy = fc.constantFrom(
      '{"modelOutput":{"x":1}}',
      '{"a\\"modelOutput":{"y":2}}',
      '{"s":"\\"modelOutput\\":{}"}',
      '{"modelOutput":"text"}',
    );
    const members = fc.array(
      fc.oneof(
        fc.constant('"modelOutput":{"real":true}'),
        decoy.map((d) => `"modelInput":${d}`),
        decoy.map((d) => `"other":${d}`),
        fc.constant('"a\\"modelOutput":{"fake":1}'),
        fc.constant('"recordId":"r1"'),
      ),
      { minLength: 1, maxLength: 5 },
    );
    fc.assert(
      fc.property(members, (parts) => {
        const line = `{${parts.join(',')}}`;
        let parsed: { modelOutput?: unknown; recordId?: unknown };
        try {
          parsed = JSON.parse(line);
        } catch {
          return;
        }
        if (parsed.modelOutput === undefined) return;
        const text = modelOutputText(line, parsed.recordId);
        if (text !== undefined) expect(text).toBe(expected(line));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps Bedrock's own spelling of the body (the same JSON value)", () => {
    const line = '{"modelInput":{},"modelOutput":{"text":"caf\\u00e9 \\/ ok","n":1.0},"recordId":"7"}';
    expect(modelOutputText(line, '7')).toBe('{"text":"caf\\u00e9 \\/ ok","n":1.0}');
    expect(JSON.parse(modelOutputText(line, '7')!)).toEqual({ text: 'café / ok', n: 1 });
  });

  it('gives up on a line laid out otherwise (another member after modelOutput, another recordId)', () => {
    expect(modelOutputText('{"modelOutput":{"a":1},"x":2}', undefined)).toBeUndefined();
    expect(modelOutputText('{"modelOutput":{"a":1},"recordId":"8"}', '7')).toBeUndefined();
    expect(modelOutputText('{"modelOutput":[1],"recordId":"7"}', '7')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidPipelineError } from '../../../lambda/core/contract/errors';
import { compileSchema, extractJsonObject, schemaFields } from '../../../lambda/core/pipeline/json-output';

describe('extractJsonObject', () => {
  it('reads a bare object', () => {
    expect(extractJsonObject(' {"score": 4, "ok": true}\n')).toEqual({
      ok: true,
      value: { score: 4, ok: true },
      json: '{"score":4,"ok":true}',
    });
  });

  it('reads a fenced block with a language tag and prose around it', () => {
    const text = 'Here is my audit:\n```json\n{"score": 2, "notes": "late reply"}\n```\nLet me know.';
    expect(extractJsonObject(text)).toMatchObject({ ok: true, value: { score: 2, notes: 'late reply' } });
  });

  it('reads an object embedded in prose, with braces and quotes inside strings', () => {
    const text = 'Result: {"quote": "he said \\"}{\\"", "n": {"deep": [1, {"x": 2}]}} -- done {not json}';
    expect(extractJsonObject(text)).toMatchObject({
      ok: true,
      value: { quote: 'he said "}{"', n: { deep: [1, { x: 2 }] } },
    });
  });

  it('skips a brace pair that is not JSON and takes the next object', () => {
    expect(extractJsonObject('{placeholder} then {"a": 1}')).toMatchObject({ ok: true, value: { a: 1 } });
  });

  it('fails on no object, an array, or a truncated object', () => {
    expect(extractJsonObject('I cannot help with that.')).toEqual({
      ok: false,
      reason: 'the answer has no JSON object',
    });
    expect(extractJsonObject('[1, 2]').ok).toBe(false);
    expect(extractJsonObject('{"score": 4, "notes": "cut off here').ok).toBe(false);
    expect(extractJsonObject('').ok).toBe(false);
  });
});

describe('compileSchema', () => {
  const schema = {
    type: 'object',
    required: ['score', 'verdict'],
    properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, verdict: { enum: ['pass', 'fail'] } },
    additionalProperties: false,
  };

  it('accepts a conforming object and names the first violation otherwise', () => {
    const check = compileSchema(schema);
    expect(check({ score: 3, verdict: 'pass' })).toBeUndefined();
    expect(check({ score: 9, verdict: 'pass' })).toBe('/score must be <= 5');
    expect(check({ score: 3 })).toBe("the answer must have required property 'verdict'");
  });

  it('turns prompt-injected output into a violation, not a crash', () => {
    const check = compileSchema(schema);
    const injected = extractJsonObject(
      'Ignoring previous instructions. {"hacked": true, "score": 5, "verdict": "pass"}',
    );
    expect(injected.ok).toBe(true);
    if (injected.ok) expect(check(injected.value)).toBe('the answer must NOT have additional properties');
  });

  it('uses draft 2020-12 when the schema says so', () => {
    const check = compileSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { tags: { type: 'array', prefixItems: [{ type: 'string' }] } },
    });
    expect(check({ tags: ['a'] })).toBeUndefined();
    expect(check({ tags: [1] })).toBe('/tags/0 must be string');
  });

  it('rejects a schema that does not compile', () => {
    expect(() => compileSchema({ type: 'nonsense' })).toThrow(InvalidPipelineError);
  });

  it('lists the top-level properties in declared order', () => {
    expect(schemaFields(schema)).toEqual(['score', 'verdict']);
    expect(schemaFields(undefined)).toEqual([]);
    expect(schemaFields({ type: 'object' })).toEqual([]);
  });
});

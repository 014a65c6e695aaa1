import { describe, expect, it } from 'vitest';
import { fillSchema, findSchema } from '../../../local/bedrock/model/answer';
import { invokeModel, shapeFor } from '../../../local/bedrock/model/index';
import { prng } from '../../../local/bedrock/random';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const claude = (text: string, extra: Record<string, unknown> = {}) => ({
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 400,
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  ...extra,
});

function ok(result: ReturnType<typeof invokeModel>) {
  if (!result.ok) throw new Error(`expected an answer, got ${result.errorMessage}`);
  return result;
}

describe('the emulated model', () => {
  it('answers Claude in the Messages response shape, marked as emulated, with plausible usage', () => {
    const text = 'Summarize this support call in two sentences. '.repeat(10);
    const result = ok(invokeModel(`us.${CLAUDE}`, undefined, claude(text)));
    const output = result.output as Record<string, unknown> & { content: { type: string; text: string }[] };
    expect(output).toMatchObject({
      id: expect.stringMatching(/^msg_bdrk_01[A-Za-z0-9]{22}$/),
      type: 'message',
      role: 'assistant',
      model: 'claude-3-haiku-20240307',
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: result.inputTokens, output_tokens: result.outputTokens },
    });
    expect(output.content[0]?.text).toMatch(/^\[emulated\] /);
    expect(result.inputTokens).toBeGreaterThanOrEqual(Math.ceil(text.length / 4));
    expect(result.inputTokens).toBeLessThan(Math.ceil(text.length / 4) + 20);
    expect(result.outputTokens).toBe(Math.ceil(output.content[0]!.text.length / 4));
  });

  it('is deterministic: the same body gives the same answer, another body another', () => {
    const a = invokeModel(CLAUDE, undefined, claude('one'));
    expect(invokeModel(CLAUDE, undefined, claude('one'))).toEqual(a);
    expect(invokeModel(CLAUDE, undefined, claude('two'))).not.toEqual(a);
  });

  it('answers a valid JSON object when the prompt asks for JSON', () => {
    const result = ok(invokeModel(CLAUDE, undefined, claude('x', { system: 'Reply with a JSON object.' })));
    const text = (result.output as { content: { text: string }[] }).content[0]!.text;
    expect(JSON.parse(text)).toEqual({
      answer: expect.stringContaining('[emulated]'),
      confidence: expect.any(Number),
    });
  });

  it('fills a JSON Schema found in the prompt with values of the right types', () => {
    const schema = {
      type: 'object',
      properties: {
        sentiment: { type: 'string', enum: ['positive', 'negative'] },
        score: { type: 'integer', minimum: 1, maximum: 5 },
        ratio: { type: 'number' },
        urgent: { type: 'boolean' },
        topics: { type: 'array', items: { type: 'string' }, minItems: 2 },
        caller: { type: 'object', properties: { name: { type: 'string', maxLength: 12 } } },
        note: { type: ['string', 'null'] },
      },
      required: ['sentiment'],
    };
    const prompt = `Classify the call. Answer with JSON matching this schema: ${JSON.stringify(schema)}\n\nCall: hello`;
    const result = ok(invokeModel(CLAUDE, undefined, claude(prompt)));
    const value = JSON.parse((result.output as { content: { text: string }[] }).content[0]!.text);
    expect(['positive', 'negative']).toContain(value.sentiment);
    expect(Number.isInteger(value.score) && value.score >= 1 && value.score <= 5).toBe(true);
    expect(typeof value.ratio).toBe('number');
    expect(typeof value.urgent).toBe('boolean');
    expect(value.topics).toHaveLength(2);
    expect(value.caller.name.length).toBeLessThanOrEqual(12);
    expect(typeof value.note).toBe('string');
  });

  it('continues an assistant prefill instead of repeating it', () => {
    const body = claude('Reply in JSON', {});
    (body.messages as unknown[]).push({ role: 'assistant', content: [{ type: 'text', text: '{' }] });
    const text = (ok(invokeModel(CLAUDE, undefined, body)).output as { content: { text: string }[] })
      .content[0]!.text;
    expect(JSON.parse(`{${text}`)).toHaveProperty('answer');
  });

  it('cuts the answer at max_tokens and says so', () => {
    const result = ok(
      invokeModel(CLAUDE, undefined, claude('Tell me everything '.repeat(50), { max_tokens: 3 })),
    );
    expect(result.output).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 3 } });
  });

  it('answers Nova (InvokeModel) and Converse jobs in their shapes', () => {
    const body = {
      messages: [{ role: 'user', content: [{ text: 'hello' }] }],
      inferenceConfig: { maxTokens: 50 },
    };
    const nova = ok(invokeModel('amazon.nova-lite-v1:0', 'InvokeModel', body)).output;
    expect(nova).toMatchObject({
      output: { message: { role: 'assistant', content: [{ text: expect.stringMatching(/^\[emulated\]/) }] } },
      stopReason: 'end_turn',
      usage: {
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
        totalTokens: expect.any(Number),
      },
    });
    expect(nova).not.toHaveProperty('metrics');
    const converse = ok(invokeModel(CLAUDE, 'Converse', body)).output;
    expect(converse).toHaveProperty('metrics.latencyMs');
    expect(shapeFor(CLAUDE, 'Converse')).toBe('converse');
  });

  it('answers Llama with generation and token counts', () => {
    const result = ok(
      invokeModel('meta.llama3-1-8b-instruct-v1:0', undefined, { prompt: 'Say hi', max_gen_len: 100 }),
    );
    expect(result.output).toEqual({
      generation: expect.stringMatching(/^\[emulated\]/),
      prompt_token_count: result.inputTokens,
      generation_token_count: result.outputTokens,
      stop_reason: 'stop',
    });
  });

  it('answers Titan Text Embeddings V2 with a unit vector of the requested dimension', () => {
    const result = ok(
      invokeModel('amazon.titan-embed-text-v2:0', undefined, {
        inputText: 'Reset my password',
        dimensions: 256,
      }),
    );
    const output = result.output as {
      embedding: number[];
      inputTextTokenCount: number;
      embeddingsByType: { float: number[] };
    };
    expect(output.embedding).toHaveLength(256);
    expect(Math.hypot(...output.embedding)).toBeCloseTo(1, 4);
    expect(output.embeddingsByType.float).toEqual(output.embedding);
    expect(output.inputTextTokenCount).toBe(5);
    const fallback = ok(invokeModel('amazon.titan-embed-text-v2:0', undefined, { inputText: 'x' })).output;
    expect((fallback as { embedding: number[] }).embedding).toHaveLength(1024);
  });

  it.each([
    [CLAUDE, undefined, { max_tokens: 5, messages: [] }, 'anthropic_version: Field required'],
    [CLAUDE, undefined, { ...claude('x'), modelId: CLAUDE }, 'modelId: Extra inputs are not permitted'],
    [CLAUDE, undefined, claude('x', { max_tokens: undefined }), 'max_tokens: Field required'],
    [
      CLAUDE,
      undefined,
      {
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 5,
        messages: [{ role: 'assistant', content: 'x' }],
      },
      'first message',
    ],
    [
      CLAUDE,
      'Converse',
      { messages: [{ role: 'user', content: [{ text: 'x' }] }], modelId: CLAUDE },
      'modelId: Extra inputs are not permitted',
    ],
    ['amazon.nova-lite-v1:0', undefined, { system: [{ text: 'x' }] }, 'messages: Field required'],
    ['meta.llama3-1-8b-instruct-v1:0', undefined, { text: 'x' }, 'extraneous key [text]'],
    ['amazon.titan-embed-text-v2:0', undefined, { inputText: 'x', dimensions: 300 }, 'dimensions'],
    [CLAUDE, undefined, 'not an object', 'must be a JSON object'],
  ])('rejects a malformed body for %s (%s) with a 400', (modelId, type, body, message) => {
    const result = invokeModel(modelId, type, JSON.parse(JSON.stringify(body)));
    expect(result).toEqual({ ok: false, errorCode: 400, errorMessage: expect.stringContaining(message) });
  });
});

describe('schemas in prompts', () => {
  it('finds the first object with properties, skipping other JSON and broken braces', () => {
    const text =
      'Example {"a": 1} and {broken then {"type":"object","properties":{"x":{"type":"string"}}} end';
    expect(findSchema(text)).toEqual({ type: 'object', properties: { x: { type: 'string' } } });
    expect(findSchema('no schema {here}')).toBeUndefined();
  });

  it('honours const, oneOf, string formats and nested arrays', () => {
    const value = fillSchema(
      {
        properties: {
          kind: { const: 'call' },
          when: { type: 'string', format: 'date-time' },
          either: { oneOf: [{ type: 'integer', minimum: 3, maximum: 3 }, { type: 'string' }] },
          grid: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
        },
      },
      'root',
      prng(1),
    );
    expect(value).toEqual({
      kind: 'call',
      when: expect.any(String),
      either: 3,
      grid: [[expect.any(Number)]],
    });
    expect(Number.isNaN(Date.parse((value as { when: string }).when))).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyTemplate, jsonLine, modelInput } from '../../../lambda/core/models/input/index';
import { JSON_INSTRUCTION } from '../../../lambda/core/models/input/instructions';
import { llamaPrompt } from '../../../lambda/core/models/input/llama';
import { parsePipeline } from '../../../lambda/core/pipeline/pipeline';

const pipeline = (modelId: string, extra: Record<string, unknown> = {}) =>
  parsePipeline(
    { modelId, promptTemplate: '{{Text}}', maxTokens: 300, temperature: 0.2, ...extra },
    'p',
    '.',
  );

describe('modelInput by family', () => {
  it('builds the Claude Messages body', () => {
    expect(modelInput(pipeline('anthropic.claude-3-haiku-20240307-v1:0', { system: 'S' }), 'hi')).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 300,
      system: 'S',
      temperature: 0.2,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
  });

  it('builds the Nova body for an inference-profile id', () => {
    expect(modelInput(pipeline('us.amazon.nova-lite-v1:0', { system: 'S' }), 'hi')).toEqual({
      system: [{ text: 'S' }],
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 300, temperature: 0.2 },
    });
  });

  it('applies the Llama 3 chat template into prompt', () => {
    const body = modelInput(pipeline('meta.llama3-1-8b-instruct-v1:0', { system: 'S' }), 'hi');
    expect(body).toEqual({
      prompt:
        '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
      max_gen_len: 300,
      temperature: 0.2,
    });
    expect(llamaPrompt('us.meta.llama4-scout-17b-instruct-v1:0', undefined, 'x')).toContain(
      '<|header_start|>user',
    );
  });

  it('builds the Titan Text Embeddings V2 body from an ARN', () => {
    const arn = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0';
    expect(modelInput(pipeline(arn), 'embed me')).toEqual({ inputText: 'embed me' });
  });

  it('builds a Converse body for any text model, never with modelId inside', () => {
    const body = modelInput(
      pipeline('mistral.mistral-large-2407-v1:0', { invocationType: 'Converse' }),
      'hi',
    );
    expect(body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 300, temperature: 0.2 },
    });
    expect(JSON.stringify(body)).not.toContain('mistral');
  });

  it('adds the JSON instruction and the schema to the system prompt in json mode', () => {
    const schema = { type: 'object', required: ['ok'] };
    const body = modelInput(
      pipeline('anthropic.claude-3-haiku-20240307-v1:0', { system: 'S', output: { format: 'json', schema } }),
      'hi',
    );
    expect(body.system).toBe(
      `S\n\n${JSON_INSTRUCTION} The object must match this JSON Schema:\n${JSON.stringify(schema)}`,
    );
  });
});

describe('bodyTemplate', () => {
  const models = [
    pipeline('anthropic.claude-3-haiku-20240307-v1:0', { system: 'MARK \u0001 "q"' }),
    pipeline('amazon.nova-micro-v1:0'),
    pipeline('meta.llama3-70b-instruct-v1:0', { system: 'x' }),
    pipeline('amazon.titan-embed-text-v2:0'),
    pipeline('qwen.qwen3-32b-v1:0', { invocationType: 'Converse' }),
  ];

  it('splices any prompt into valid JSON equal to a full serialisation (matrix 18, lone surrogates too)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...models), fc.string({ unit: 'binary' }), (p, prompt) => {
        const { before, after } = bodyTemplate(p);
        const spliced = `${before}${JSON.stringify(prompt).slice(1, -1)}${after}`;
        expect(spliced).toBe(JSON.stringify(modelInput(p, prompt)));
        const line = JSON.parse(jsonLine(p, 'r1', prompt));
        expect(Object.keys(line)).toEqual(['recordId', 'modelInput']);
      }),
      { numRuns: 300 },
    );
  });
});

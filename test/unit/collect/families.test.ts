import { describe, expect, it } from 'vitest';
import { UnsupportedModelError } from '../../../lambda/core/contract/errors';
import { outputKind, parseModelOutput } from '../../../lambda/core/models/output';
import { fixtureLines } from './harness';

function outputOf(file: string, recordId: string): unknown {
  const line = fixtureLines(file)
    .map((l) => JSON.parse(l) as { recordId: string; modelOutput?: unknown })
    .find((l) => l.recordId === recordId);
  return line?.modelOutput;
}

describe('outputKind', () => {
  it('picks the Converse body for Converse jobs whatever the model', () => {
    expect(outputKind('mistral.mistral-large-2407-v1:0', 'Converse')).toBe('converse');
    expect(outputKind('anthropic.claude-3-haiku-20240307-v1:0', 'Converse')).toBe('converse');
  });

  it('picks the family body for InvokeModel jobs, inference profiles included', () => {
    expect(outputKind('us.anthropic.claude-3-5-haiku-20241022-v1:0', 'InvokeModel')).toBe('anthropic-claude');
    expect(outputKind('amazon.nova-lite-v1:0', 'InvokeModel')).toBe('amazon-nova');
    expect(outputKind('meta.llama3-1-8b-instruct-v1:0', 'InvokeModel')).toBe('meta-llama');
    expect(outputKind('amazon.titan-embed-text-v2:0', 'InvokeModel')).toBe('amazon-titan-embed-text');
  });

  it('refuses an InvokeModel job on a family it cannot read', () => {
    expect(() => outputKind('mistral.mistral-large-2407-v1:0', 'InvokeModel')).toThrow(UnsupportedModelError);
  });
});

describe('parseModelOutput', () => {
  it('Claude: joins the text blocks, reads stop_reason and usage', () => {
    expect(parseModelOutput('anthropic-claude', outputOf('claude.jsonl.out', '3'))).toEqual({
      ok: true,
      text: 'Third answer',
      stopReason: 'max_tokens',
      inputTokens: 30,
      outputTokens: 3,
    });
  });

  it('Claude: an empty content list is an empty answer, not a failure', () => {
    expect(parseModelOutput('anthropic-claude', outputOf('claude.jsonl.out', '4'))).toMatchObject({
      ok: true,
      text: '',
    });
  });

  it('Nova: reads output.message.content text blocks only, stopReason and usage', () => {
    expect(parseModelOutput('amazon-nova', outputOf('nova.jsonl.out', '1'))).toEqual({
      ok: true,
      text: 'Blue',
      stopReason: 'end_turn',
      inputTokens: 11,
      outputTokens: 1,
    });
  });

  it('Converse: same body shape', () => {
    expect(parseModelOutput('converse', outputOf('converse.jsonl.out', '1'))).toEqual({
      ok: true,
      text: 'Summary one',
      stopReason: 'max_tokens',
      inputTokens: 21,
      outputTokens: 512,
    });
  });

  it('Llama: generation, stop_reason and the two token counts', () => {
    expect(parseModelOutput('meta-llama', outputOf('llama.jsonl.out', '2'))).toEqual({
      ok: true,
      text: '1, 2, 3,',
      stopReason: 'length',
      inputTokens: 13,
      outputTokens: 128,
    });
  });

  it('Titan embeddings: the vector (or embeddingsByType.float) and inputTextTokenCount', () => {
    expect(parseModelOutput('amazon-titan-embed-text', outputOf('titan-embed.jsonl.out', '1'))).toEqual({
      ok: true,
      embedding: [0.0123, -0.0456, 0.5, 0.001],
      inputTokens: 4,
      outputTokens: 0,
    });
    expect(parseModelOutput('amazon-titan-embed-text', outputOf('titan-embed.jsonl.out', '2'))).toMatchObject(
      {
        ok: true,
        embedding: [0.25, 0.75],
      },
    );
  });

  it('reports a body of the wrong shape instead of throwing', () => {
    expect(parseModelOutput('anthropic-claude', { completion: 'old API' }).ok).toBe(false);
    expect(parseModelOutput('converse', { output: {} }).ok).toBe(false);
    expect(parseModelOutput('meta-llama', { generation: 42 }).ok).toBe(false);
    expect(parseModelOutput('amazon-titan-embed-text', { embedding: ['a'] }).ok).toBe(false);
    expect(parseModelOutput('amazon-nova', 'text')).toEqual({
      ok: false,
      reason: 'modelOutput is not a JSON object',
    });
    expect(parseModelOutput('amazon-nova', null).ok).toBe(false);
  });

  it('leaves token counts undefined when usage is absent or not a count', () => {
    const read = parseModelOutput('anthropic-claude', {
      content: [{ type: 'text', text: 'x' }],
      usage: { input_tokens: -1 },
    });
    expect(read).toEqual({
      ok: true,
      text: 'x',
      stopReason: undefined,
      inputTokens: undefined,
      outputTokens: undefined,
    });
  });
});

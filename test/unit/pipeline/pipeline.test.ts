import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InvalidPipelineError,
  SchemaMismatchError,
  UnknownPipelineError,
  UnsupportedModelError,
} from '../../../lambda/core/contract/errors';
import { PIPELINE_DEFAULTS } from '../../../lambda/core/pipeline/defaults';
import { loadPipeline, loadPipelinesDir, parsePipeline } from '../../../lambda/core/pipeline/pipeline';
import { compileTemplate, renderTemplate, templateColumns } from '../../../lambda/core/pipeline/prompt';

const base = { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', promptTemplate: 'Q: {{Context}}' };
const parse = (extra: Record<string, unknown>, name = 'demo') =>
  parsePipeline({ ...base, ...extra }, name, '.');

describe('parsePipeline', () => {
  it('applies the documented defaults', () => {
    expect(parse({})).toEqual({
      name: 'demo',
      modelId: base.modelId,
      promptTemplate: base.promptTemplate,
      ...PIPELINE_DEFAULTS,
      dedupe: true,
    });
    expect(PIPELINE_DEFAULTS).toMatchObject({
      maxTokens: 1024,
      temperature: 0,
      minRecordsPerJob: 100,
      timeoutHours: 72,
      belowMinimum: 'on-demand',
      retryRound: true,
    });
  });

  it('turns dedupe on by default only at temperature 0, and keeps an explicit choice', () => {
    expect(parse({}).dedupe).toBe(true);
    expect(parse({ temperature: 0.7 }).dedupe).toBe(false);
    expect(parse({ temperature: 0.7, dedupe: true }).dedupe).toBe(true);
    expect(parse({ dedupe: false }).dedupe).toBe(false);
    expect(() => parse({ dedupe: 'yes' })).toThrow(/dedupe must be true or false, got "yes"/);
  });

  it('keeps belowMinimum and retryRound as given', () => {
    expect(parse({ belowMinimum: 'fail', retryRound: false })).toMatchObject({
      belowMinimum: 'fail',
      retryRound: false,
    });
    expect(parse({ belowMinimum: 'on-demand' }).belowMinimum).toBe('on-demand');
  });

  it('keeps deadlineHours as given, and has no deadline without it', () => {
    expect(parse({ deadlineHours: 6 }).deadlineHours).toBe(6);
    expect(parse({})).not.toHaveProperty('deadlineHours');
  });

  it('refuses an unknown key, naming it and the allowed keys', () => {
    expect(() => parse({ max_tokens: 5 })).toThrow(InvalidPipelineError);
    expect(() => parse({ max_tokens: 5 })).toThrow(
      /unknown key "max_tokens"; allowed keys: modelId, promptTemplate/,
    );
    expect(() => parse({ output: { format: 'json', strict: true } })).toThrow(/output\.strict/);
  });

  it.each([
    [{ timeoutHours: 12 }, /timeoutHours must be an integer 24\.\.168, got 12/],
    [{ maxTokens: 0 }, /maxTokens must be an integer 1\.\.\d+, got 0/],
    [{ maxTokens: '100' }, /maxTokens .* got "100"/],
    [{ temperature: 1.5 }, /temperature must be a number 0\.\.1, got 1\.5/],
    [{ invocationType: 'Batch' }, /invocationType must be "InvokeModel" or "Converse", got "Batch"/],
    [{ output: { format: 'xml' } }, /output\.format must be "text" or "json", got "xml"/],
    [{ output: { schema: {} } }, /output\.schema needs output\.format "json"/],
    [{ minRecordsPerJob: 100, maxRecordsPerJob: 150 }, /at least twice minRecordsPerJob/],
    [{ idColumn: '' }, /idColumn must be a non-empty string/],
    [{ promptFile: 'x.md' }, /not both/],
    [{ modelId: 'has space' }, /modelId is not a Bedrock model id/],
    [{ belowMinimum: 'batch' }, /belowMinimum must be "on-demand" or "fail", got "batch"/],
    [{ belowMinimum: true }, /belowMinimum must be "on-demand" or "fail", got true/],
    [{ retryRound: 'yes' }, /retryRound must be true or false, got "yes"/],
    [{ retryRound: 1 }, /retryRound must be true or false, got 1/],
    [{ deadlineHours: 0 }, /deadlineHours must be an integer 1\.\.168, got 0/],
    [{ deadlineHours: 1.5 }, /deadlineHours must be an integer 1\.\.168, got 1\.5/],
    [{ deadlineHours: '6' }, /deadlineHours must be an integer 1\.\.168, got "6"/],
  ])('names the field and the value: %j', (extra, message) => {
    expect(() => parse(extra)).toThrow(message);
  });

  it('needs a model id and exactly one prompt source', () => {
    expect(() => parsePipeline({ promptTemplate: '{{a}}' }, 'x', '.')).toThrow(/modelId is required/);
    expect(() => parsePipeline({ modelId: base.modelId }, 'x', '.')).toThrow(
      /promptTemplate or promptFile is required/,
    );
  });

  it('refuses bad names and templates', () => {
    expect(() => parse({}, 'has space')).toThrow(/must match/);
    expect(() => parse({}, '-lead')).toThrow(InvalidPipelineError);
    expect(() => parse({ promptTemplate: 'no columns' })).toThrow(/uses no column/);
    expect(() => parse({ promptTemplate: '{{Context}} and {{open' })).toThrow(/not closed/);
    expect(() => parse({ promptTemplate: '{{}}' })).toThrow(/empty placeholder/);
  });

  it('refuses an unknown model family with InvokeModel, suggesting Converse', () => {
    const mistral = { modelId: 'mistral.mistral-large-2407-v1:0' };
    expect(() => parse(mistral)).toThrow(UnsupportedModelError);
    expect(() => parse(mistral)).toThrow(/"invocationType": "Converse"/);
    expect(parse({ ...mistral, invocationType: 'Converse' }).invocationType).toBe('Converse');
  });

  it('keeps embedding pipelines to what the model accepts', () => {
    const titan = { modelId: 'amazon.titan-embed-text-v2:0' };
    expect(parse(titan).modelId).toBe(titan.modelId);
    expect(() => parse({ ...titan, output: { format: 'json' } })).toThrow(/embedding model/);
    expect(() => parse({ ...titan, system: 'x' })).toThrow(/system prompt/);
  });
});

describe('loadPipeline / loadPipelinesDir', () => {
  function dir(files: Record<string, string>): string {
    const d = mkdtempSync(join(tmpdir(), 'pipelines-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
    return d;
  }

  it('reads promptFile relative to the JSON file', () => {
    const d = dir({
      'a.json': JSON.stringify({ modelId: base.modelId, promptFile: 'a.md' }),
      'a.md': 'T {{X}}',
    });
    expect(loadPipeline(join(d, 'a.json')).promptTemplate).toBe('T {{X}}');
  });

  it('names the available pipelines for an unknown one', () => {
    const d = dir({ 'one.json': JSON.stringify(base), 'two.json': JSON.stringify(base) });
    expect(() => loadPipeline(join(d, 'three.json'))).toThrow(UnknownPipelineError);
    expect(() => loadPipeline(join(d, 'three.json'))).toThrow(/Available pipelines: one, two/);
    expect(loadPipelinesDir(d).map((p) => p.name)).toEqual(['one', 'two']);
  });

  it('fails the whole directory on one broken file (synth fails)', () => {
    const d = dir({ 'good.json': JSON.stringify(base), 'bad.json': '{"modelId": ' });
    expect(() => loadPipelinesDir(d)).toThrow(/"bad".*not valid JSON/);
  });

  it('loads the shipped pipelines', () => {
    const [qa] = loadPipelinesDir(join(import.meta.dirname, '../../../pipelines'));
    expect(qa?.name).toBe('qa-auditor');
    expect(templateColumns(qa!.promptTemplate)).toEqual(['Context', 'Response']);
    expect(qa?.output.format).toBe('json');
  });
});

describe('templates', () => {
  it('replaces placeholders byte for byte and leaves other braces alone', () => {
    const t = compileTemplate('{a} {{Context}} %s $1 \\n {{Response}}{{Context}}', ['Context', 'Response']);
    expect(renderTemplate(t, ['{{Response}}', 'x"y'])).toBe('{a} {{Response}} %s $1 \\n x"y{{Response}}');
  });

  it("names the missing columns and counts the header's (matrix 13)", () => {
    expect(() => compileTemplate('{{Context}} {{Answer}}', ['Context', 'Response'])).toThrow(
      SchemaMismatchError,
    );
    expect(() => compileTemplate('{{Context}} {{Answer}}', ['Context', 'Response'])).toThrow(
      /needs column\(s\) "Answer", which the file's header \(2 columns\) does not have/,
    );
  });
});

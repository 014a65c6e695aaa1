import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../local/bedrock/api-error';
import { invokeModel } from '../../../local/bedrock/model/index';
import { ModelCatalog } from '../../../local/bedrock/models/catalog';
import { baseModelId, parseModelId } from '../../../local/bedrock/models/id';
import { BATCH_MODELS, DEFAULT_LIMITS } from '../../../local/bedrock/models/table';
import { runtimeOperations } from '../../../local/bedrock/runtime/index';
import { limitsFor, resolveSettings } from '../../../local/bedrock/settings';

function refusal(catalog: ModelCatalog, modelId: string): ApiError {
  try {
    catalog.forBatchJob(modelId);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`${modelId} was accepted`);
}

describe("the emulator's model ids", () => {
  it('reads foundation-model ids, cross-Region profile ids and ARNs of both', () => {
    expect(parseModelId('anthropic.claude-sonnet-4-6')).toEqual({
      base: 'anthropic.claude-sonnet-4-6',
      kind: 'foundation-model',
    });
    for (const prefix of ['us', 'eu', 'apac', 'global']) {
      expect(parseModelId(`${prefix}.amazon.nova-lite-v1:0`)).toEqual({
        base: 'amazon.nova-lite-v1:0',
        profile: prefix,
        kind: 'inference-profile',
      });
    }
    expect(
      baseModelId('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0'),
    ).toBe('amazon.nova-lite-v1:0');
    expect(baseModelId('arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0')).toBe(
      'amazon.titan-embed-text-v2:0',
    );
    expect(
      parseModelId('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6').kind,
    ).toBe('application-inference-profile');
  });
});

describe("the emulator's table of batch-capable models", () => {
  it('covers every family of the reference, current Claude 4.x included', () => {
    const ids = Object.keys(BATCH_MODELS);
    for (const prefix of [
      'anthropic.claude-3-haiku',
      'anthropic.claude-sonnet-4-5',
      'anthropic.claude-sonnet-4-6',
      'amazon.nova-micro',
      'amazon.nova-lite',
      'amazon.nova-pro',
      'amazon.nova-premier',
      'amazon.titan-embed-text-v2',
      'amazon.titan-embed-image',
      'meta.llama3-1',
      'meta.llama3-2',
      'meta.llama3-3',
      'meta.llama4',
      'mistral.mistral-large-2407',
      'mistral.mistral-small',
      'qwen.qwen3',
      'deepseek.v3',
      'openai.gpt-oss',
      'google.gemma',
    ]) {
      expect(
        ids.some((id) => id.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });

  it('gives every model a context window and limits within the quotas the reference states', () => {
    for (const [id, model] of Object.entries(BATCH_MODELS)) {
      expect(model.contextTokens, id).toBeGreaterThan(0);
      expect(model.minRecordsPerJob, id).toBeLessThanOrEqual(model.maxRecordsPerJob);
      expect(model.maxFileBytes, id).toBeLessThanOrEqual(model.maxJobBytes);
      expect(model.unconfirmed, id).toContain('contextTokens');
    }
    expect(BATCH_MODELS['meta.llama4-scout-17b-instruct-v1:0']?.minRecordsPerJob).toBe(50);
    expect(BATCH_MODELS['amazon.nova-pro-v1:0']?.maxJobBytes).toBe(100 * 1024 ** 3);
    expect(BATCH_MODELS['anthropic.claude-3-haiku-20240307-v1:0']).toMatchObject({
      shape: 'claude',
      ...DEFAULT_LIMITS,
    });
  });
});

describe('which model ids a batch job may name', () => {
  const catalog = new ModelCatalog();

  it('accepts listed models in every form', () => {
    for (const id of [
      'anthropic.claude-sonnet-4-6',
      'us.anthropic.claude-sonnet-4-6',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'eu.anthropic.claude-3-5-haiku-20241022-v1:0',
      'apac.amazon.nova-micro-v1:0',
      'arn:aws:bedrock:eu-west-1::foundation-model/mistral.mistral-large-2407-v1:0',
    ]) {
      expect(catalog.forBatchJob(id).contextTokens, id).toBeGreaterThan(0);
    }
  });

  it('refuses an unknown or non-batch id with a ValidationException that says how to add it', () => {
    for (const id of [
      'foo.bar-v9:0',
      'us.foo.bar-v9:0',
      'meta.llama3-70b-instruct-v1:0',
      'cohere.embed-english-v3',
    ]) {
      const error = refusal(catalog, id);
      expect(error.type).toBe('ValidationException');
      expect(error.message).toContain(id);
      expect(error.message).toContain(`{"models": {"${id}"`);
    }
  });

  it('refuses Nova Premier without an inference profile, and accepts it with one', () => {
    expect(refusal(catalog, 'amazon.nova-premier-v1:0').message).toContain('us.amazon.nova-premier-v1:0');
    expect(catalog.forBatchJob('us.amazon.nova-premier-v1:0').shape).toBe('nova');
  });

  it('accepts account resources it cannot see (application inference profiles, custom models)', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
    expect(catalog.forBatchJob(arn).minRecordsPerJob).toBe(100);
  });

  it('takes new models and changed limits from the settings file', () => {
    const extended = new ModelCatalog({
      'us.acme.brand-new-v1:0': { shape: 'claude', contextTokens: 50_000 },
      'anthropic.claude-3-haiku-20240307-v1:0': { minRecordsPerJob: 10 },
    });
    expect(extended.forBatchJob('acme.brand-new-v1:0')).toMatchObject({
      shape: 'claude',
      contextTokens: 50_000,
      minRecordsPerJob: 100,
    });
    expect(extended.forBatchJob('eu.acme.brand-new-v1:0').contextTokens).toBe(50_000);
    expect(extended.forBatchJob('anthropic.claude-3-haiku-20240307-v1:0')).toMatchObject({
      shape: 'claude',
      contextTokens: 200_000,
      minRecordsPerJob: 10,
    });
    expect(refusal(catalog, 'acme.brand-new-v1:0').type).toBe('ValidationException');
    const byArn = new ModelCatalog({
      'arn:aws:bedrock:us-east-1::foundation-model/acme.arn-model-v1:0': { contextTokens: 9_000 },
      'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6': {
        contextTokens: 7_000,
      },
    });
    expect(byArn.forBatchJob('us.acme.arn-model-v1:0').contextTokens).toBe(9_000);
    expect(
      byArn.forBatchJob('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6')
        .contextTokens,
    ).toBe(7_000);
  });

  it("lets a quota in the faults file override every model's (the e2e tests' small minimum)", () => {
    const settings = resolveSettings({ minRecordsPerJob: 2, maxRecordBytes: 1_000 });
    const scout = settings.models.forBatchJob('meta.llama4-scout-17b-instruct-v1:0');
    expect(limitsFor(settings, scout)).toMatchObject({
      minRecordsPerJob: 2,
      maxRecordsPerJob: 50_000,
      maxRecordBytes: 1_000,
    });
    const plain = resolveSettings();
    expect(limitsFor(plain, scout).minRecordsPerJob).toBe(50);
  });
});

describe('the context window, in batch records and runtime calls', () => {
  const claude = (text: string, maxTokens: number) => ({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: maxTokens,
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  });
  const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
  const traits = { shape: 'claude' as const, contextTokens: 1_000 };

  it('estimates one token per four bytes of UTF-8 and counts max_tokens against the window', () => {
    // 3,600 ASCII bytes are 900 tokens: 100 more fit, 101 do not.
    expect(invokeModel(haiku, undefined, claude('a'.repeat(3_600), 100), traits).ok).toBe(true);
    expect(invokeModel(haiku, undefined, claude('a'.repeat(3_600), 101), traits)).toEqual({
      ok: false,
      errorCode: 400,
      errorMessage:
        'Input is too long for requested model. About 900 prompt tokens plus 101 requested output tokens exceed the context window of 1000 tokens.',
    });
    // 1,200 three-byte characters are 3,600 bytes, so 900 tokens as well.
    expect(invokeModel(haiku, undefined, claude('語'.repeat(1_200), 101), traits).ok).toBe(false);
    expect(invokeModel(haiku, undefined, claude('a'.repeat(3_600), 101)).ok).toBe(true);
  });

  it('checks an embedding input alone, and refuses an over-long runtime call with ValidationException', () => {
    const titan = { shape: 'titan' as const, contextTokens: 8_192 };
    const embed = (bytes: number) => ({ inputText: 'a'.repeat(bytes) });
    expect(invokeModel('amazon.titan-embed-text-v2:0', undefined, embed(32_768), titan).ok).toBe(true);
    expect(invokeModel('amazon.titan-embed-text-v2:0', undefined, embed(32_769), titan).ok).toBe(false);
    const runtime = runtimeOperations({}, 1, { calls: 0, injected: 0 }, new ModelCatalog());
    const call = () => runtime.invoke(haiku, claude('a'.repeat(800_000), 500));
    expect(call).toThrow(ApiError);
    expect(call).toThrow(/^Input is too long for requested model\. .*200000 tokens\.$/);
    expect(runtime.invoke(haiku, claude('short', 500)).body).toMatchObject({ type: 'message' });
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main';
import { InvalidPipelineError, RowErrorCode } from '../../../lambda/core/contract/errors';
import { EMULATOR_MIN_RECORDS_VARIABLE } from '../../../lambda/core/models/limits';
import { loadPipeline, parsePipeline } from '../../../lambda/core/pipeline/pipeline';
import { synthStack } from '../../helpers/synth';
import { run } from '../prepare/helpers';

const claude = 'anthropic.claude-3-haiku-20240307-v1:0';
const base = { modelId: claude, promptTemplate: 'Q: {{Context}}' };
/** No lowered minimum: what Bedrock enforces. */
const bedrock = {};
const parse = (extra: Record<string, unknown>) => parsePipeline({ ...base, ...extra }, 'demo', '.', bedrock);

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'refuse-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

afterEach(() => vi.restoreAllMocks());

describe('output.schema must compile', () => {
  const broken = { format: 'json', schema: { type: 'objectx', required: 'nope' } };

  it('is refused by the validator, naming output.schema', () => {
    expect(() => parse({ output: broken })).toThrow(InvalidPipelineError);
    expect(() => parse({ output: broken })).toThrow(/output\.schema is not a valid JSON Schema/);
  });

  it('fails bedrock-batch prepare with exit 1 before anything is written', async () => {
    const dir = folder({
      'p.json': JSON.stringify({ ...base, output: broken }),
      'in.csv': 'Context\nhello\n',
    });
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err.push(String(s));
      return true;
    });
    const code = await main([
      'prepare',
      join(dir, 'in.csv'),
      '--pipeline',
      join(dir, 'p.json'),
      '--out',
      join(dir, 'o'),
    ]);
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/INVALID_PIPELINE: .*output\.schema/);
  });

  it('fails cdk synth', () => {
    const dir = folder({ 'p.json': JSON.stringify({ ...base, output: broken }) });
    expect(() => synthStack({ pipeline: { pipelinesDir: dir } })).toThrow(/output\.schema is not a valid/);
  });
});

describe("Bedrock's batch minimum", () => {
  it('refuses minRecordsPerJob below the model minimum, with both numbers', () => {
    expect(() => parse({ minRecordsPerJob: 5 })).toThrow(
      /minRecordsPerJob 5 is below Bedrock's batch minimum of 100/,
    );
    expect(parse({ minRecordsPerJob: 100 }).minRecordsPerJob).toBe(100);
  });

  it('fails cdk synth for a minimum below the model minimum when nothing lowers it', () => {
    vi.stubEnv(EMULATOR_MIN_RECORDS_VARIABLE, undefined);
    try {
      const dir = folder({ 'p.json': JSON.stringify({ ...base, minRecordsPerJob: 5 }) });
      expect(() => synthStack({ pipeline: { pipelinesDir: dir } })).toThrow(
        /below Bedrock's batch minimum of 100/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it(`is lowered only by ${EMULATOR_MIN_RECORDS_VARIABLE} (the local emulator)`, () => {
    const json = { ...base, minRecordsPerJob: 5, maxRecordsPerJob: 10 };
    expect(parsePipeline(json, 'demo', '.', { [EMULATOR_MIN_RECORDS_VARIABLE]: '5' }).minRecordsPerJob).toBe(
      5,
    );
    expect(() => parsePipeline(json, 'demo', '.', { [EMULATOR_MIN_RECORDS_VARIABLE]: '6' })).toThrow(
      /minimum of 6/,
    );
    expect(() => parsePipeline(json, 'demo', '.', { [EMULATOR_MIN_RECORDS_VARIABLE]: 'lots' })).toThrow(
      /minimum of 100/,
    );
  });

  it('refuses a maxJobBytes that could cut a job below the minimum for bytes, with both numbers', () => {
    expect(() => parse({ maxJobBytes: 1_048_576 })).toThrow(
      /maxJobBytes must be at least .* = 209715200.*got maxJobBytes 1048576 with minRecordsPerJob 100/,
    );
    expect(parse({ maxJobBytes: 209_715_200 }).maxJobBytes).toBe(209_715_200);
    expect(() => parse({ minRecordsPerJob: 500, maxRecordsPerJob: 1000 })).toThrow(
      /minRecordsPerJob 500 cannot be met/,
    );
  });

  it('never plans a job below the minimum, with the smallest byte limit allowed and large rows', async () => {
    const min = 3;
    const env = { [EMULATOR_MIN_RECORDS_VARIABLE]: String(min) };
    const maxJobBytes = 2 * min * 1_048_576;
    const pipeline = parsePipeline(
      {
        // A Converse model without a known context window, so rows near 1 MiB are not rejected for it.
        modelId: 'mistral.mistral-large-2407-v1:0',
        invocationType: 'Converse',
        promptTemplate: '{{Context}}',
        minRecordsPerJob: min,
        maxJobBytes,
        // Some rows repeat: every one must be a record here.
        dedupe: false,
      },
      'demo',
      '.',
      env,
    );
    // Rows of very different sizes, up to near the record limit: every byte cut must keep >= min records.
    const sizes = [
      900_000, 10, 1_000_000, 5, 700_000, 1_000_000, 20, 1_000_000, 999_000, 3, 1_000_000, 400_000,
    ];
    const csv = `Context\n${sizes.map((n) => 'x'.repeat(n)).join('\n')}\n`;
    const { plan } = await run(csv, pipeline, { chunk: 1 << 20 });
    expect(plan.records).toBe(sizes.length);
    expect(plan.shards.length).toBeGreaterThan(1);
    for (const shard of plan.shards) {
      expect(shard.records).toBeGreaterThanOrEqual(min);
      expect(shard.bytes).toBeLessThanOrEqual(maxJobBytes);
    }
  });
});

describe('promptFile stays inside the pipelines folder', () => {
  function pipelineWith(promptFile: string): string {
    const outer = mkdtempSync(join(tmpdir(), 'outer-'));
    const dir = join(outer, 'pipelines');
    mkdirSync(join(dir, 'prompts.d'), { recursive: true });
    writeFileSync(join(outer, 'outside.md'), 'Q {{Context}}');
    writeFileSync(join(dir, 'inside.md'), 'Q {{Context}}');
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ modelId: claude, promptFile }));
    return join(dir, 'p.json');
  }

  it.each([
    ['a path with ..', '../outside.md', /inside the pipelines folder/],
    ['an absolute path', '/etc/hostname', /inside the pipelines folder/],
    ['a folder', 'prompts.d', /is a folder, not a file/],
  ])('refuses %s with one sentence', (_what, promptFile, message) => {
    const file = pipelineWith(promptFile);
    expect(() => loadPipeline(file)).toThrow(InvalidPipelineError);
    expect(() => loadPipeline(file)).toThrow(message);
  });

  it('accepts a file inside the folder', () => {
    expect(loadPipeline(pipelineWith('inside.md')).promptTemplate).toBe('Q {{Context}}');
  });
});

describe("the model's context window", () => {
  const llama3 = 'meta.llama3-8b-instruct-v1:0';

  it('refuses a maxTokens that leaves no room for a prompt', () => {
    expect(() => parse({ modelId: llama3, maxTokens: 8192 })).toThrow(/8192-token context window/);
  });

  it(`rejects a row that cannot fit with ${RowErrorCode.ContextWindow}, naming the window, and sends the rest`, async () => {
    const pipeline = parsePipeline(
      { ...base, modelId: llama3, maxTokens: 1000, minRecordsPerJob: 1 },
      'demo',
      '.',
      { [EMULATOR_MIN_RECORDS_VARIABLE]: '1' },
    );
    // 8192 tokens = 32,768 bytes: 30,000 bytes of prompt plus 1000 answer tokens is 8,501 tokens.
    const csv = `Context\nshort\n${'y'.repeat(30_000)}\nalso short\n`;
    const { plan, sinks } = await run(csv, pipeline, { chunk: 1 << 16 });
    expect(plan.records).toBe(2);
    expect(plan.rejected).toBe(1);
    const rejected = (sinks.objects.get('rows/rejected.jsonl') ?? '')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ row: 2, code: 'ROW_EXCEEDS_CONTEXT' });
    expect(rejected[0].message).toMatch(/8192-token context window of meta\.llama3-8b-instruct-v1:0/);
  });
});

describe('the emulator-only minimum at synth', () => {
  it('warns that the synthesized pipelines were checked against the emulator minimum', () => {
    const dir = folder({ 'p.json': JSON.stringify(base) });
    const { stack } = synthStack({ pipeline: { pipelinesDir: dir } });
    const warnings = Annotations.fromStack(stack).findWarning(
      '*',
      Match.stringLikeRegexp(EMULATOR_MIN_RECORDS_VARIABLE),
    );
    expect(warnings.length).toBeGreaterThan(0);
  });
});

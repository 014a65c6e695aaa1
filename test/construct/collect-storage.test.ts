import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLLECT_MEMORY_MB, COLLECT_TIMEOUT_SECONDS } from '../../lambda/core/collect/run-size';
import { collectStorageMiB } from '../../lambda/core/collect/spill-size';
import { collectStorage } from '../../lib/pipeline-checks';
import { synthStack } from '../helpers/synth';
import { defaultStack } from './fixture';
import type { TemplateJson } from './resolve';

function pipelinesDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pipelines-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(body));
  return dir;
}

function storageOf(json: TemplateJson, functionId: string): Record<string, unknown> | undefined {
  return json.Resources[functionId]?.Properties?.EphemeralStorage;
}

function prepareStorageVariable(json: TemplateJson, prepareId: string): unknown {
  return json.Resources[prepareId]?.Properties?.Environment?.Variables?.COLLECT_STORAGE_MIB;
}

const titan = { modelId: 'amazon.titan-embed-text-v2:0', promptTemplate: '{{text}}' };
const summary = { modelId: 'amazon.nova-lite-v1:0', promptTemplate: 'Sum up {{text}}', maxTokens: 300 };

describe("Collect's ephemeral storage", () => {
  let fallback: { json: TemplateJson; collect: string; prepare: string; others: string[] };
  let embeddings: { json: TemplateJson; collect: string };
  beforeAll(() => {
    const local = defaultStack();
    fallback = {
      json: local.json,
      collect: local.logicalIds['collect-results'],
      prepare: local.logicalIds['prepare-input'],
      others: Object.entries(local.logicalIds)
        .filter(([name]) => name !== 'collect-results' && name !== 'prepare-input')
        .map(([, id]) => id),
    };
    const { stack, template } = synthStack({
      pipeline: { pipelinesDir: pipelinesDir({ 'embed.json': titan, 'summary.json': summary }) },
    });
    const json = template.toJSON() as TemplateJson;
    const collect = stack.resolve(
      (stack.pipeline.functions['collect-results'].node.defaultChild as CfnFunction).logicalId,
    );
    embeddings = { json, collect };
  });

  it('is sized from the largest shard of the deployed pipelines (qa-auditor: json, 1,000 tokens)', () => {
    const storage = storageOf(fallback.json, fallback.collect);
    expect(prepareStorageVariable(fallback.json, fallback.prepare)).toBe('1434');
    // 50,000 records x (5 copies x 1,000 tokens x 4 bytes x 1.1 + 2,048) x 1.25 headroom.
    expect(storage).toEqual({ Size: 1434 });
    for (const id of fallback.others) expect(storageOf(fallback.json, id), id).toBeUndefined();
  });

  it('gives Prepare room in /tmp for a workbook or Parquet file and a spilled shared-strings table', () => {
    const local = defaultStack();
    expect(storageOf(local.json, local.logicalIds['prepare-input'])).toEqual({ Size: 10240 });
  });

  it('holds a 50,000-record Titan embeddings shard (1,024 floats a record)', () => {
    const storage = storageOf(embeddings.json, embeddings.collect) as { Size: number };
    expect(storage.Size).toBe(
      collectStorageMiB({ ...titan, maxRecordsPerJob: 50_000 } as Parameters<typeof collectStorageMiB>[0]),
    );
    expect(storage.Size * 1024 * 1024).toBeGreaterThan(50_000 * 1024 * 24);
  });

  it('refuses at synth a pipeline whose shard cannot fit in 10,240 MiB, saying what to lower', () => {
    const huge = { ...summary, maxTokens: 8192, output: { format: 'json' } };
    expect(() => synthStack({ pipeline: { pipelinesDir: pipelinesDir({ 'huge.json': huge }) } })).toThrow(
      /Pipeline "huge": one shard's results need about \d+ MiB of Collect's \/tmp .* lower maxRecordsPerJob to \d+ or less, or maxTokens/,
    );
  });

  it('takes a larger collectStorageMiB, and gives Prepare the same value to check dedupe runs against', () => {
    const { stack, template } = synthStack({ pipeline: { collectStorageMiB: 4096 } });
    const json = template.toJSON() as TemplateJson;
    const id = (name: 'collect-results' | 'prepare-input') =>
      stack.resolve((stack.pipeline.functions[name].node.defaultChild as CfnFunction).logicalId) as string;
    expect(storageOf(json, id('collect-results'))).toEqual({ Size: 4096 });
    expect(prepareStorageVariable(json, id('prepare-input'))).toBe('4096');
  });

  it('never goes below the largest shard, and refuses a collectStorageMiB outside 512..10,240', () => {
    const pipelines = [{ ...titan, name: 'embed', maxRecordsPerJob: 50_000 }] as unknown as Parameters<
      typeof collectStorage
    >[0];
    const shard = collectStorage(pipelines);
    expect(shard).toBeGreaterThan(1024);
    expect(collectStorage(pipelines, 1024)).toBe(shard);
    expect(collectStorage(pipelines, 8000)).toBe(8000);
    expect(() => collectStorage(pipelines, 10_241)).toThrow(
      /collectStorageMiB must be a whole number from 512 to 10240, got 10241/,
    );
    expect(() => collectStorage(pipelines, 100)).toThrow(/from 512 to 10240, got 100/);
  });
});

describe("Collect's timeout and memory", () => {
  it('are the ones the largest run is worked out from (RUN_TOO_LARGE, the collect-s3 bench)', () => {
    const { json, logicalIds } = defaultStack();
    const collect = json.Resources[logicalIds['collect-results']]?.Properties;
    expect(collect?.Timeout).toBe(COLLECT_TIMEOUT_SECONDS);
    expect(collect?.MemorySize).toBe(COLLECT_MEMORY_MB);
  });
});

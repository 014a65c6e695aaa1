import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSpillStore } from '../../../lambda/collect-results/spill-file';
import { OutcomeRenderer } from '../../../lambda/core/collect/rendered';
import { BUCKET_ROWS, indexShardOutputs } from '../../../lambda/core/collect/shard-outputs';
import {
  collectStorageMiB,
  EPHEMERAL_STORAGE_MIB,
  spillBytesPerRecord,
  spillBytesPerShard,
} from '../../../lambda/core/collect/spill-size';
import { WarningLog } from '../../../lambda/core/collect/warnings';
import type { PipelineDefinition } from '../../../lambda/core/contract/types';
import { outputModeFor } from '../../../lambda/core/jsonl/outcome';
import { PIPELINE_DEFAULTS } from '../../../lambda/core/pipeline/defaults';
import { claudeLine, prose, titanLine } from '../../helpers/output-lines';

function pipeline(overrides: Partial<PipelineDefinition>): PipelineDefinition {
  return {
    ...PIPELINE_DEFAULTS,
    name: 'sizing',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    promptTemplate: '{{text}}',
    ...overrides,
  } as PipelineDefinition;
}

const titan = pipeline({ modelId: 'amazon.titan-embed-text-v2:0' });
const schema = {
  type: 'object',
  properties: { verdict: { type: 'string' }, rationale: { type: 'string' } },
};
const claudeJson = pipeline({ maxTokens: 4096, output: { format: 'json', schema } });
const claudeText = pipeline({ maxTokens: 4096 });

/** Bytes the real file spill store holds on disk after indexing `lines` (one record per line). */
async function spilledBytes(target: PipelineDefinition, lines: string[]): Promise<number> {
  const parent = await mkdtemp(join(tmpdir(), 'spill-size-'));
  const store = await FileSpillStore.create(parent);
  try {
    const positions = new Map(lines.map((_, i) => [`r${i}`, i]));
    const mode = outputModeFor(target);
    const fields = mode.json ? Object.keys(schema.properties) : [];
    async function* source() {
      yield* lines;
    }
    const index = await indexShardOutputs(
      source(),
      positions,
      mode,
      new OutcomeRenderer(fields),
      store,
      new WarningLog(),
      1,
    );
    expect(index.records.size).toBe(lines.length);
    expect([...index.records.values()].every((r) => r.answered)).toBe(true);
    // Reading one record of each bucket writes that bucket's pending buffer to disk.
    for (let position = 0; position < lines.length; position += BUCKET_ROWS) {
      await store.get(index.records.get(`r${position}`)!.ref);
    }
    const [dir] = await readdir(parent);
    let bytes = 0;
    for (const file of await readdir(join(parent, dir!)))
      bytes += (await stat(join(parent, dir!, file))).size;
    return bytes;
  } finally {
    await store.dispose();
    await rm(parent, { recursive: true, force: true });
  }
}

describe("Collect's disk is sized from the pipeline's worst case", () => {
  it('holds a 1,024-float embedding of the longest floats within the per-record bound', async () => {
    const records = 1_200;
    const bytes = await spilledBytes(
      titan,
      Array.from({ length: records }, (_, i) => titanLine(`r${i}`)),
    );
    expect(bytes / records).toBeGreaterThan(20_000);
    expect(bytes).toBeLessThanOrEqual(records * spillBytesPerRecord(titan));
  });

  it.each([
    ['text', claudeText],
    ['json', claudeJson],
  ])('holds a %s answer of maxTokens x 4 bytes within the per-record bound', async (_mode, target) => {
    const records = 120;
    const text =
      target.output.format === 'json'
        ? JSON.stringify({ verdict: 'good', rationale: prose(target.maxTokens * 4 - 40) })
        : prose(target.maxTokens * 4);
    const bytes = await spilledBytes(
      target,
      Array.from({ length: records }, (_, i) => claudeLine(`r${i}`, text, target.maxTokens)),
    );
    expect(bytes).toBeLessThanOrEqual(records * spillBytesPerRecord(target));
    // The bound is not loose: the answer copies are most of it.
    expect(bytes).toBeGreaterThan(0.8 * records * spillBytesPerRecord(target));
  });

  it('sizes a 50,000-record Titan shard above the 512 MiB default and within Lambda maximum', () => {
    expect(titan.maxRecordsPerJob).toBe(50_000);
    expect(spillBytesPerShard(titan)).toBeGreaterThan(1_000_000_000);
    const mib = collectStorageMiB(titan);
    expect(mib).toBeGreaterThan(EPHEMERAL_STORAGE_MIB.min);
    expect(mib * 1024 * 1024).toBeGreaterThan(spillBytesPerShard(titan));
    expect(mib).toBeLessThanOrEqual(EPHEMERAL_STORAGE_MIB.max);
    expect(collectStorageMiB(pipeline({ maxRecordsPerJob: 1_000 }))).toBe(512);
  });
});

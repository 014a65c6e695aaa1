/**
 * Collect's disk on a 50,000-record Titan Text Embeddings V2 shard (1,024 floats a record, the longest
 * float form): the same core (`indexShardOutputs`) and file-backed spill store as the Lambda, lines in
 * shuffled order. Measures the bytes the spill holds on disk at its peak (every bucket flushed) and checks
 * them against the ephemeral storage the synthesized template gives Collect for an embeddings pipeline,
 * and against Lambda's 512 MB default. Figures go to bench/RESULTS.md by hand.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSpillStore } from '../lambda/collect-results/spill-file';
import { OutcomeRenderer } from '../lambda/core/collect/rendered';
import { BUCKET_ROWS, indexShardOutputs } from '../lambda/core/collect/shard-outputs';
import { spillBytesPerShard } from '../lambda/core/collect/spill-size';
import { WarningLog } from '../lambda/core/collect/warnings';
import type { PipelineDefinition } from '../lambda/core/contract/types';
import { outputModeFor } from '../lambda/core/jsonl/outcome';
import { PIPELINE_DEFAULTS } from '../lambda/core/pipeline/defaults';
import { synthesizeLocalDefinition } from '../local/runner/asl';
import { titanLine } from '../test/helpers/output-lines';

const RECORDS = 50_000;
const MIB = 1024 * 1024;
const definition = { modelId: 'amazon.titan-embed-text-v2:0', promptTemplate: '{{text}}' };
const pipeline = { ...PIPELINE_DEFAULTS, name: 'embed', ...definition } as PipelineDefinition;

const pipelinesDir = mkdtempSync(join(tmpdir(), 'disk-bench-pipelines-'));
writeFileSync(join(pipelinesDir, 'embed.json'), JSON.stringify(definition));
const local = synthesizeLocalDefinition({ pipeline: { pipelinesDir } });
const collectId = local.logicalIds['collect-results'];
const storage = local.template.Resources[collectId]?.Properties?.EphemeralStorage as { Size: number };
const storageBytes = storage.Size * MIB;

/** Record ids in a shuffled order (Bedrock writes outputs in any order). */
function shuffled(count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  let seed = 42;
  for (let i = count - 1; i > 0; i -= 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

async function* lines(): AsyncGenerator<string> {
  for (const i of shuffled(RECORDS)) yield titanLine(`r${i}`);
}

const parent = mkdtempSync(join(tmpdir(), 'disk-bench-spill-'));
const store = await FileSpillStore.create(parent);
const started = performance.now();
try {
  const positions = new Map(Array.from({ length: RECORDS }, (_, i) => [`r${i}`, i]));
  const index = await indexShardOutputs(
    lines(),
    positions,
    outputModeFor(pipeline),
    new OutcomeRenderer([]),
    store,
    new WarningLog(),
    1,
  );
  for (let position = 0; position < RECORDS; position += BUCKET_ROWS) {
    await store.get(index.records.get(`r${position}`)!.ref);
  }
  const [dir] = readdirSync(parent);
  const spilled = readdirSync(join(parent, dir!)).reduce(
    (sum, file) => sum + statSync(join(parent, dir!, file)).size,
    0,
  );
  const seconds = (performance.now() - started) / 1000;
  const fits = spilled <= storageBytes && index.records.size === RECORDS;
  process.stdout.write(
    `records ${index.records.size}, spilled ${(spilled / MIB).toFixed(0)} MiB ` +
      `(${Math.round(spilled / RECORDS)} bytes a record), planned bound ${(spillBytesPerShard(pipeline) / MIB).toFixed(0)} MiB, ` +
      `Collect ephemeral storage ${storage.Size} MiB (default would be 512 MiB): ` +
      `${fits ? 'fits' : 'DOES NOT FIT'}, above the default: ${spilled > 512 * MIB}; ${seconds.toFixed(1)} s\n`,
  );
  if (!fits) process.exitCode = 1;
} finally {
  await store.dispose();
  rmSync(parent, { recursive: true, force: true });
  rmSync(pipelinesDir, { recursive: true, force: true });
}

import { LOCAL_KEYS } from '../../../lambda/core/contract/layout';
import type { PipelineDefinition } from '../../../lambda/core/contract/types';
import { parsePipeline } from '../../../lambda/core/pipeline/pipeline';
import { type MemorySinks, memorySinks } from '../../../lambda/core/prepare/memory-sink';
import type { Plan } from '../../../lambda/core/prepare/plan';
import { prepare } from '../../../lambda/core/prepare/prepare';

/** A Claude pipeline over Context/Response, with overrides; dedupe off unless asked (rows often repeat here). */
export function testPipeline(extra: Record<string, unknown> = {}): PipelineDefinition {
  return parsePipeline(
    {
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      promptTemplate: 'Client: {{Context}}\nTherapist: {{Response}}',
      minRecordsPerJob: 1,
      dedupe: false,
      ...extra,
    },
    'test',
    '.',
  );
}

/** Yields `bytes` in pieces of `size` bytes. */
export async function* chunked(bytes: Buffer | string, size = 7): AsyncGenerator<Buffer> {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

/** Runs prepare over `csv` into memory sinks. */
export async function run(
  csv: Buffer | string,
  pipeline: PipelineDefinition = testPipeline(),
  options: { chunk?: number; maxRecordBytes?: number; sinks?: MemorySinks } = {},
): Promise<{ plan: Plan; sinks: MemorySinks }> {
  const sinks = options.sinks ?? memorySinks();
  const plan = await prepare(chunked(csv, options.chunk ?? 7), {
    pipeline,
    sinks,
    keys: LOCAL_KEYS,
    ...(options.maxRecordBytes !== undefined ? { maxRecordBytes: options.maxRecordBytes } : {}),
  });
  return { plan, sinks };
}

/** Parsed JSONL lines of an object. */
export function lines(sinks: MemorySinks, key: string): Record<string, unknown>[] {
  const text = sinks.objects.get(key);
  if (text === undefined) throw new Error(`no object ${key}`);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

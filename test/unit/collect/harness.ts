/** Plain-value harness for Collect's core: fixtures in, the four results out. No mocks, no S3. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { JoinSources, ShardJob } from '../../../lambda/core/collect/join';
import type { RowObserver } from '../../../lambda/core/collect/result-writer';
import { type CollectRunInput, collectRun, type RunSummary } from '../../../lambda/core/collect/run';
import { StringSink } from '../../../lambda/core/collect/sink';
import { MemorySpillStore } from '../../../lambda/core/collect/spill';
import type { PipelineDefinition } from '../../../lambda/core/contract/types';

const FIXTURES = join(import.meta.dirname, '../../fixtures/collect');

/** The lines of a fixture file. */
export function fixtureLines(name: string): string[] {
  return readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter(Boolean);
}

/** A resolved pipeline with test defaults. */
export function pipeline(overrides: Partial<PipelineDefinition> = {}): PipelineDefinition {
  return {
    name: 'qa',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    promptTemplate: '{{text}}',
    maxTokens: 256,
    temperature: 0,
    invocationType: 'InvokeModel',
    output: { format: 'text' },
    minRecordsPerJob: 1,
    maxRecordsPerJob: 50_000,
    maxJobBytes: 1 << 30,
    timeoutHours: 24,
    ...overrides,
  };
}

/** A row-sidecar line. */
export function sidecar(recordId: string, row: number, cells: string[]): string {
  return JSON.stringify({ recordId, row, cells });
}

/** A rejected-rows line. */
export function rejected(row: number, line: number, cells: string[], code = 'ROW_COLUMN_COUNT'): string {
  return JSON.stringify({ row, line, code, message: `expected 2 cells, found ${cells.length}`, cells });
}

/** One shard of a test run. */
export interface ShardFixture {
  readonly shard: number;
  readonly rows: string[];
  /** One array of lines per `.jsonl.out` file. */
  readonly outputs?: string[][];
  readonly manifest?: unknown;
  /** The job's status; `null` for a shard with no job result. */
  readonly status?: string | null;
}

/** Everything a core run needs. */
export interface RunFixture {
  readonly pipeline?: PipelineDefinition;
  readonly header?: string[];
  readonly shards: ShardFixture[];
  readonly rejected?: string[];
  /** Defaults to the number of sidecar plus rejected lines. */
  readonly inputRows?: number;
  /** Sees every row as it is written. */
  readonly observer?: RowObserver;
}

/** The results of a core run, parsed. */
export interface RunOutput {
  readonly summary: RunSummary;
  readonly csvText: string;
  readonly csv: string[][];
  readonly jsonl: Record<string, unknown>[];
  readonly errorsText: string;
  readonly errors: string[][];
}

async function* lines(items: readonly string[]): AsyncGenerator<string> {
  yield* items;
}

/** Runs Collect's core over plain values. */
export async function runCollect(fixture: RunFixture): Promise<RunOutput> {
  const byShard = new Map(fixture.shards.map((s) => [s.shard, s]));
  const sources: JoinSources = {
    sidecarLines: (shard) => lines(byShard.get(shard)!.rows),
    outputLines: (shard) => lines((byShard.get(shard)!.outputs ?? []).flat()),
    manifest: async (shard) => byShard.get(shard)!.manifest,
    rejectedLines: () => lines(fixture.rejected ?? []),
  };
  const shards: ShardJob[] = fixture.shards.map((s) => ({
    shard: s.shard,
    records: s.rows.length,
    job:
      s.status === null
        ? undefined
        : {
            jobArn: `arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/job${s.shard}`,
            status: s.status ?? 'Completed',
          },
  }));
  const input: CollectRunInput = {
    runId: 'run-1',
    pipeline: fixture.pipeline ?? pipeline(),
    header: fixture.header ?? ['id', 'text'],
    inputRows:
      fixture.inputRows ??
      fixture.shards.reduce((n, s) => n + s.rows.length, 0) + (fixture.rejected?.length ?? 0),
    shards,
    resultsPrefix: 'results/qa/run-1/',
    createdAt: '2026-11-25T00:00:00.000Z',
  };
  const sinks = { csv: new StringSink(), jsonl: new StringSink(), errors: new StringSink() };
  const summary = await collectRun(input, sources, new MemorySpillStore(), sinks, fixture.observer);
  const csvText = sinks.csv.text();
  return {
    summary,
    csvText,
    csv: parse(csvText, { bom: true }) as string[][],
    jsonl: sinks.jsonl
      .text()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    errorsText: sinks.errors.text(),
    errors: parse(sinks.errors.text(), { bom: true }) as string[][],
  };
}

/** The value of `column` in every data row of a parsed CSV. */
export function column(table: string[][], name: string): string[] {
  const index = table[0]!.indexOf(name);
  if (index < 0) throw new Error(`No column ${name} in ${table[0]!.join(',')}`);
  return table.slice(1).map((row) => row[index]!);
}

/**
 * The local stack for end-to-end tests: the embedded S3 shared by every stack of a test file (a handler
 * may keep its S3 client between runs), a Bedrock emulator with the test's faults, and helpers that run a
 * CSV and read the results files back. A file's stacks run one after the other: starting one closes the
 * one before (what it recorded stays readable). Each stack listens on the ports the process's last one
 * used, so its functions have the same variables and get that one's warm Lambda environments
 * (test/helpers/warm-parts.ts).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Faults } from '../../local/faults';
import { type LocalStack, type RunOutcome, runOnStack, startLocalStack } from '../../local/runner';
import { LOCAL_BUCKETS } from '../../local/runner/template';
import { type S3Server, startS3Server } from '../../local/s3-server';
import { onPortsIfFree, warmParts } from './warm-parts';

/** The folder of the end-to-end pipelines. */
export const E2E_PIPELINES = join(import.meta.dirname, '..', 'fixtures', 'e2e');

/**
 * A folder holding only the e2e pipeline `name` (it has no prompt file), as `bedrock-batch local` stages
 * one: its bundled assembly is the one the CLI runs for that pipeline (the cache key is the contents).
 */
export function soloE2ePipelines(name: string): string {
  const dir = join(tmpdir(), `e2e-solo-${name}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(E2E_PIPELINES, `${name}.json`), join(dir, `${name}.json`));
  return dir;
}

/** The batch minimum of the e2e pipelines, also given to the emulator. */
export const E2E_MIN_RECORDS = 5;

/** A run and its files, read back. */
export interface RunFiles {
  readonly outcome: RunOutcome;
  readonly dir: string;
  /** results.csv parsed (header → cell), in file order. */
  readonly rows: Record<string, string>[];
  /** results.csv as bytes (for byte-exact checks). */
  readonly resultsCsv: string;
  readonly errors: Record<string, string>[];
  readonly summary?: Summary;
  readonly report?: Record<string, unknown>;
}

/** summary.json, as far as tests read it. */
export interface Summary {
  readonly runId: string;
  readonly counts: { input: number; ok: number; error: number; rejected: number; missing: number };
  readonly tokens: { input: number; output: number };
  readonly jobs: { jobArn: string | null; status: string | null; records: number }[];
}

/** Starts and stops local stacks for one test file. */
export class LocalStacks {
  private s3?: S3Server;
  private readonly open: LocalStack[] = [];
  private readonly dirs: string[] = [];

  /** A new stack (own emulator and faults) over the shared embedded S3; the file's previous stack is closed. */
  async start(
    faults: Faults = {},
    options: {
      environment?: Record<string, string>;
      lostResponses?: Record<string, number>;
      throttledInvocations?: Record<string, number>;
      compressedWaitMs?: number;
      emulatorS3DelayMs?: number;
    } = {},
  ): Promise<LocalStack> {
    const warm = warmParts();
    for (const previous of this.open.splice(0)) await previous.close();
    this.s3 ??= await onPortsIfFree(warm.ports?.s3, (port) =>
      startS3Server({ buckets: Object.values(LOCAL_BUCKETS), port: port ?? 0 }),
    );
    const s3 = this.s3;
    const start = (ports?: { bedrock: number; sfn: number }) =>
      startLocalStack({
        pipelinesDir: E2E_PIPELINES,
        faults: { minRecordsPerJob: E2E_MIN_RECORDS, ...faults },
        // The lowered batch minimum (vitest.config.ts) reaches the handlers too, wherever they run.
        environment: options.environment ?? {},
        lostResponses: options.lostResponses ?? {},
        throttledInvocations: options.throttledInvocations ?? {},
        ...(options.compressedWaitMs === undefined ? {} : { compressedWaitMs: options.compressedWaitMs }),
        ...(options.emulatorS3DelayMs === undefined ? {} : { emulatorS3DelayMs: options.emulatorS3DelayMs }),
        s3Server: s3,
        environmentPool: warm.pool,
        ...(ports === undefined ? {} : { ports }),
      });
    const stack = await onPortsIfFree(warm.ports, start);
    warm.ports = { s3: s3.port, bedrock: stack.bedrock.port, sfn: stack.sfn.port };
    this.open.push(stack);
    return stack;
  }

  /** Runs `csv` (or any input file's bytes) as `inbox/<pipeline>/<fileName>` and reads the files it wrote. */
  async run(
    stack: LocalStack,
    csv: string | Buffer,
    options: { pipeline?: string; fileName?: string; deliveries?: number } = {},
  ): Promise<RunFiles> {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-out-'));
    this.dirs.push(dir);
    const outcome = await runOnStack(stack, {
      body: csv,
      fileName: options.fileName ?? 'input.csv',
      pipeline: options.pipeline ?? 'shards',
      outDir: dir,
      ...(options.deliveries === undefined ? {} : { deliveries: options.deliveries }),
    });
    const text = async (name: string) =>
      outcome.files[name] === undefined ? undefined : readFile(outcome.files[name] as string, 'utf8');
    const resultsCsv = (await text('results.csv')) ?? '';
    const errorsCsv = (await text('errors.csv')) ?? '';
    const summary = await text('summary.json');
    const report = await text('report.json');
    return {
      outcome,
      dir,
      resultsCsv,
      rows:
        resultsCsv === '' ? [] : parse(resultsCsv, { bom: true, columns: true, relax_column_count: true }),
      errors:
        errorsCsv === '' ? [] : parse(errorsCsv, { bom: true, columns: true, relax_column_count: true }),
      ...(summary === undefined ? {} : { summary: JSON.parse(summary) as Summary }),
      ...(report === undefined ? {} : { report: JSON.parse(report) as Record<string, unknown> }),
    };
  }

  /** Stops every stack (their idle environments stay warm) and the S3, and removes the output folders. */
  async close(): Promise<void> {
    for (const stack of this.open.splice(0)) await stack.close();
    await this.s3?.close();
    for (const dir of this.dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  }
}

/** A CSV of `count` questions with ids `q1..qN`; `extra` rows are appended as given. */
export function questionsCsv(count: number, extra: readonly string[] = []): string {
  const rows = Array.from({ length: count }, (_, i) => `q${i + 1},What is ${i + 1} plus ${i + 1}?`);
  return `${['id,question', ...rows, ...extra].join('\n')}\n`;
}

/** Asserts nothing; returns the invariant's two sides for an `expect(...).toBe(...)`. */
export function reconcile(summary: Summary): [number, number] {
  const c = summary.counts;
  return [c.input, c.ok + c.error + c.rejected + c.missing];
}

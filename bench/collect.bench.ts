/**
 * Collect speed and memory on one generated 50,000-record shard (Claude, json mode with a schema, lines
 * shuffled, 1% model errors): the same core and file-backed spill store as the Lambda, reading local
 * files and writing the three results files locally. Each measurement runs in a fresh `node` process
 * on an esbuild bundle of this file (as the Lambda is bundled), so peak RSS is Collect's own. Each figure
 * is given in-process (timed around the work) and as the whole process (spawn to exit, start-up included).
 * When BENCH_BASELINE names another checkout of this repository, that checkout's collect bench is bundled
 * too and its collect run alternates with this one's. Targets (issue 14): >= 100 MB/s of `.jsonl.out`,
 * <= 256 MB peak RSS. Data goes to bench/.data/collect (gitignored); figures go to bench/RESULTS.md by hand.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { FileSpillStore } from '../lambda/collect-results/spill-file';
import { OutcomeRenderer } from '../lambda/core/collect/rendered';
import { collectRun } from '../lambda/core/collect/run';
import { indexShardOutputs } from '../lambda/core/collect/shard-outputs';
import type { TextSink } from '../lambda/core/collect/sink';
import { WarningLog } from '../lambda/core/collect/warnings';
import type { PipelineDefinition } from '../lambda/core/contract/types';
import { readLines } from '../lambda/core/jsonl/lines';
import { outputModeFor } from '../lambda/core/jsonl/outcome';
import { fastest, medianSeconds, timeNode } from './whole-process';

const RECORDS = 50_000;
const dir = process.env.COLLECT_BENCH_DIR ?? join(import.meta.dirname, '.data', 'collect');
const outFile = join(dir, `shard-0001.jsonl.out`);
const rowsFile = join(dir, 'rows-shard-0001.jsonl');
const schema = {
  type: 'object',
  required: ['score', 'verdict', 'issues'],
  properties: {
    score: { type: 'integer', minimum: 1, maximum: 5 },
    verdict: { enum: ['pass', 'fail'] },
    issues: { type: 'array', items: { type: 'string' } },
    summary: { type: 'string' },
  },
};
const pipeline: PipelineDefinition = {
  name: 'bench',
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  promptTemplate: 'Context: {{Context}}\nResponse: {{Response}}',
  maxTokens: 1000,
  temperature: 0,
  invocationType: 'InvokeModel',
  output: { format: 'json', schema },
  minRecordsPerJob: 100,
  maxRecordsPerJob: 50_000,
  maxJobBytes: 1 << 30,
  timeoutHours: 24,
};

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'I feel anxious about work and cannot sleep well lately, what should I try tonight to calm down'.split(' ');

function sentence(rand: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
}

async function write(stream: WriteStream, text: string | Uint8Array): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function generate(): Promise<void> {
  if (existsSync(outFile) && existsSync(rowsFile)) return;
  mkdirSync(dir, { recursive: true });
  const rand = random(7);
  const rows = createWriteStream(rowsFile);
  const order = Array.from({ length: RECORDS }, (_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cells = new Map<number, [string, string]>();
  for (let i = 1; i <= RECORDS; i++) {
    const cell: [string, string] = [sentence(rand, 120), sentence(rand, 60)];
    cells.set(i, cell);
    await write(rows, `${JSON.stringify({ recordId: String(i), row: i, cells: cell })}\n`);
  }
  await close(rows);
  const out = createWriteStream(outFile);
  for (const i of order) {
    const [context, response] = cells.get(i)!;
    const modelInput = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 1000,
      system: 'You are a quality assurance auditor for a mental-health support service.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: `Context: ${context}\nResponse: ${response}` }] },
      ],
    };
    const answer = JSON.stringify({
      score: 1 + Math.floor(rand() * 5),
      verdict: rand() < 0.8 ? 'pass' : 'fail',
      issues: [sentence(rand, 12), sentence(rand, 10)],
      summary: sentence(rand, 40),
    });
    const line =
      rand() < 0.01
        ? {
            recordId: String(i),
            modelInput,
            error: { errorCode: 400, errorMessage: 'Malformed input request' },
          }
        : {
            modelInput,
            modelOutput: {
              id: `msg_bdrk_${i}`,
              type: 'message',
              role: 'assistant',
              model: 'claude-3-haiku-20240307',
              content: [{ type: 'text', text: `Here is the audit:\n\`\`\`json\n${answer}\n\`\`\`` }],
              stop_reason: 'end_turn',
              stop_sequence: null,
              usage: { input_tokens: 350, output_tokens: 120 },
            },
            recordId: String(i),
          };
    await write(out, `${JSON.stringify(line)}\n`);
  }
  await close(out);
}

function fileSink(path: string): { sink: TextSink; done: () => Promise<void> } {
  const stream = createWriteStream(path, { highWaterMark: 1 << 20 });
  return { sink: { write: (text) => write(stream, text) }, done: () => close(stream) };
}

async function child(): Promise<void> {
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const store = await FileSpillStore.create(dir);
  const files = {
    csv: fileSink(join(dir, 'results.csv')),
    jsonl: fileSink(join(dir, 'results.jsonl')),
    errors: fileSink(join(dir, 'errors.csv')),
  };
  const summary = await collectRun(
    {
      runId: 'bench',
      pipeline,
      header: ['Context', 'Response'],
      inputRows: RECORDS,
      shards: [
        {
          shard: 1,
          records: RECORDS,
          job: {
            jobArn: 'arn:aws:bedrock:us-east-1:1:model-invocation-job/benchbenchbe',
            status: 'Completed',
          },
        },
      ],
      resultsPrefix: 'results/bench/bench/',
      createdAt: new Date().toISOString(),
    },
    {
      sidecarLines: () => readLines(createReadStream(rowsFile, { highWaterMark: 1 << 20 })),
      outputLines: () => readLines(createReadStream(outFile, { highWaterMark: 1 << 20 })),
      manifest: async () => undefined,
      rejectedLines: () => readLines(createReadStream('/dev/null')),
    },
    store,
    { csv: files.csv.sink, jsonl: files.jsonl.sink, errors: files.errors.sink },
  );
  await Promise.all([files.csv.done(), files.jsonl.done(), files.errors.done()]);
  await store.dispose();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    `${JSON.stringify({ seconds, cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024, counts: summary.counts })}\n`,
  );
}

interface Measure {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  counts?: unknown;
}

/** In-process figures (best run) beside the whole process's (best and median wall, highest RSS). */
interface Measured extends Measure {
  whole: { seconds: number; median: number; cpuSeconds: number; maxRssMb: number };
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_MBS = 100;

/**
 * Bundles a collect bench (this file, or a baseline checkout's) as the Lambda is bundled (esbuild, plain
 * node, no tsx loader in the measured process).
 */
async function bundle(entry: string, name: string): Promise<string> {
  const outfile = join(dir, name);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return outfile;
}

interface Run {
  inner: Measure;
  whole: ReturnType<typeof timeNode>;
}

function once(script: string, mode: string): Run {
  const whole = timeNode([script, mode], { COLLECT_BENCH_DIR: dir });
  return { inner: JSON.parse(whole.stdout.trim().split('\n').pop()!) as Measure, whole };
}

function summary(runs: readonly Run[]): Measured {
  const best = fastest(runs.map((r) => r.inner));
  const wholeBest = fastest(runs.map((r) => r.whole));
  return {
    ...best,
    maxRssMb: Math.max(...runs.map((r) => r.whole.maxRssMb ?? r.inner.maxRssMb)),
    whole: {
      seconds: wholeBest.seconds,
      median: medianSeconds(runs.map((r) => r.whole)),
      cpuSeconds: wholeBest.cpuSeconds ?? 0,
      maxRssMb: Math.max(...runs.map((r) => r.whole.maxRssMb ?? 0)),
    },
  };
}

function measure(script: string, mode: string): Measured {
  return summary(Array.from({ length: RUNS }, () => once(script, mode)));
}

/** The read side only: sidecar positions, then every `.jsonl.out` line parsed, judged and spilled. */
async function indexOnly(): Promise<void> {
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const store = await FileSpillStore.create(dir);
  const positions = new Map<string, number>();
  for await (const line of readLines(createReadStream(rowsFile, { highWaterMark: 1 << 20 }))) {
    positions.set((JSON.parse(line) as { recordId: string }).recordId, positions.size);
  }
  const lines = readLines(createReadStream(outFile, { highWaterMark: 1 << 20 }));
  const renderer = new OutcomeRenderer(Object.keys(schema.properties));
  await indexShardOutputs(lines, positions, outputModeFor(pipeline), renderer, store, new WarningLog(), 1);
  await store.dispose();
  const cpu = process.cpuUsage(cpuStart);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    `${JSON.stringify({ seconds, cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

async function parseOnly(): Promise<void> {
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for await (const line of readLines(createReadStream(outFile, { highWaterMark: 1 << 20 }))) JSON.parse(line);
  const cpu = process.cpuUsage(cpuStart);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    `${JSON.stringify({ seconds, cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

async function main(): Promise<void> {
  process.stdout.write(
    `machine: ${cpus().length} cpus (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  await generate();
  const script = await bundle(import.meta.filename, 'collect-bench.mjs');
  const baseline = process.env.BENCH_BASELINE;
  const baseScript =
    baseline === undefined
      ? undefined
      : await bundle(join(baseline, 'bench', 'collect.bench.ts'), 'collect-baseline.mjs');
  const mb = statSync(outFile).size / 1e6;
  process.stdout.write(
    `shard: ${RECORDS} records, .jsonl.out ${mb.toFixed(1)} MB, sidecar ${(statSync(rowsFile).size / 1e6).toFixed(1)} MB\n`,
  );
  const rate = (seconds: number) => `${(mb / seconds).toFixed(1)} MB/s`;
  const line = (label: string, m: Measured) =>
    `${label.padEnd(28)} in-process ${m.seconds.toFixed(2)} s (${rate(m.seconds)}), cpu ${m.cpuSeconds.toFixed(2)} s; ` +
    `whole process ${m.whole.seconds.toFixed(2)} s best (${rate(m.whole.seconds)}), ${m.whole.median.toFixed(2)} s median, ` +
    `cpu ${m.whole.cpuSeconds.toFixed(2)} s; ${m.maxRssMb.toFixed(0)} MB peak RSS`;
  process.stdout.write(`${RUNS} runs each, best shown:\n`);
  process.stdout.write(`${line('read + JSON.parse only', measure(script, '--child-parse'))}\n`);
  process.stdout.write(`${line('read side (index + spill)', measure(script, '--child-index'))}\n`);
  const mine: Run[] = [];
  const base: Run[] = [];
  for (let round = 0; round < RUNS; round++) {
    mine.push(once(script, '--child'));
    if (baseScript !== undefined) base.push(once(baseScript, '--child'));
  }
  const collect = summary(mine);
  process.stdout.write(`${line('collect', collect)}\ncounts: ${JSON.stringify(collect.counts)}\n`);
  if (baseScript !== undefined)
    process.stdout.write(`${line(`baseline collect (${baseline})`, summary(base))}\n`);
  for (const name of ['results.csv', 'results.jsonl', 'errors.csv']) rmSync(join(dir, name), { force: true });
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const inner = mb / collect.seconds >= TARGET_MBS;
  const whole = mb / collect.whole.seconds >= TARGET_MBS;
  const rss = collect.maxRssMb <= 256;
  process.stdout.write(
    `collect >= ${TARGET_MBS} MB/s in-process: ${verdict(inner)}; as a whole process: ${verdict(whole)}; ` +
      `peak RSS <= 256 MB: ${verdict(rss)}\n`,
  );
  const ok = inner && whole && rss;
  process.stdout.write(ok ? 'collect: within targets\n' : 'collect: MISSES a target (see above)\n');
  process.exitCode = ok ? 0 : 1;
}

if (process.argv.includes('--child')) await child();
else if (process.argv.includes('--child-parse')) await parseOnly();
else if (process.argv.includes('--child-index')) await indexOnly();
else await main();

/**
 * The local stack as users run it, each run a fresh process of the compiled CLI's `local` verb (dist/)
 * timed wall-clock from spawn to exit (start-up, the bundled assembly, the embedded S3, the Bedrock
 * emulator, the functions in their Lambda environments, the results files):
 * - `npm run demo` (320 rows) on a cold assembly cache, as on a fresh clone's first run: target <= 20 s;
 * - `npm run demo` with the assembly cached: target <= 5 s (median of 3);
 * - 1,000 rows (examples/conversations.csv repeated): target <= 15 s;
 * - 40,036 rows (21 MB, one job) twice: both succeed and end at the same simulated time.
 * Data goes to bench/.data/demo (gitignored); figures go to bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { machineDescription } from './machine';

const root = join(import.meta.dirname, '..');
const dir = join(import.meta.dirname, '.data', 'demo');
const demoCsv = join(root, 'examples', 'conversations.csv');

interface Run {
  readonly seconds: number;
  readonly status: number | null;
  readonly simulated: string;
  readonly input: number;
  readonly ok: number;
}

function local(csvPath: string, outDir: string, env: NodeJS.ProcessEnv = process.env): Run {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ['bin/bedrock-batch.mjs', 'local', csvPath, '--pipeline', 'pipelines/qa-auditor.json', '--out', outDir],
    { cwd: root, encoding: 'utf8', env },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) process.stderr.write(result.stdout + result.stderr);
  const counts = (JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as { counts: Run & object })
    .counts;
  return {
    seconds,
    status: result.status,
    simulated: /workflow: (.+) simulated/.exec(result.stdout)?.[1] ?? '?',
    input: counts.input,
    ok: counts.ok,
  };
}

function repeated(rows: number, path: string): void {
  const [header, ...data] = parse(readFileSync(demoCsv)) as string[][];
  const body = Array.from({ length: rows }, (_, i) => data[i % data.length] as string[]);
  writeFileSync(path, stringify([header as string[], ...body]));
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
};

// The cold run fills a fresh cache; the warm runs reuse that one (not whatever the default cache holds).
const cache = { ...process.env, BEDROCK_BATCH_CACHE_DIR: join(dir, 'cache') };
const cold = local(demoCsv, join(dir, 'cold'), cache);
check(cold.status === 0 && cold.ok === 320 && cold.seconds <= 20, 'demo, cold cache <= 20 s');
const warm = [1, 2, 3].map((i) => local(demoCsv, join(dir, `warm-${i}`), cache));
const warmMedian = median(warm.map((run) => run.seconds));
check(warm.every((run) => run.status === 0 && run.ok === 320) && warmMedian <= 5, 'demo, warm <= 5 s');

const thousand = join(dir, 'conversations-1000.csv');
repeated(1_000, thousand);
const k = local(thousand, join(dir, 'out-1000'));
check(k.status === 0 && k.ok === 1_000 && k.seconds <= 15, '1,000 rows <= 15 s');

const large = join(dir, 'conversations-40036.csv');
repeated(40_036, large);
const [first, second] = [1, 2].map((i) => local(large, join(dir, `large-${i}`))) as [Run, Run];
check(
  first.status === 0 && second.status === 0 && first.ok === 40_036 && first.simulated === second.simulated,
  '21 MB file: same simulated end twice',
);

process.stdout.write(
  [
    `machine        ${machineDescription()}, load ${loadavg()[0]?.toFixed(2)}`,
    `demo, cold     ${cold.seconds.toFixed(2)} s wall (target <= 20 s), ${cold.ok}/${cold.input} ok, simulated ${cold.simulated}`,
    `demo, warm     ${warm.map((run) => run.seconds.toFixed(2)).join(', ')} s wall, median ${warmMedian.toFixed(2)} s (target <= 5 s)`,
    `1,000 rows     ${k.seconds.toFixed(2)} s wall (target <= 15 s), ${k.ok}/${k.input} ok`,
    `40,036 rows    ${(statSync(large).size / 1e6).toFixed(1)} MB: ${first.seconds.toFixed(1)} s and ${second.seconds.toFixed(1)} s wall, simulated ${first.simulated} and ${second.simulated}, ${first.ok}/${first.input} ok`,
    failures.length === 0 ? 'all targets met' : `missed: ${failures.join('; ')}`,
    '',
  ].join('\n'),
);
process.exitCode = failures.length === 0 ? 0 : 1;

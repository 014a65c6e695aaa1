/**
 * Prepare speed and memory on a generated 200 MB CSV (set BENCH_PREPARE_1GB=1 to add the 1 GB file).
 *
 * Whole processes first (issue 14: wall from spawn to exit, start-up included), in alternating rounds
 * so the shared machine's load hits each alike: `bedrock-batch prepare` as users run it
 * (`node bin/bedrock-batch.mjs`), a raw Node stream copy of the same file (`node -e`), the source
 * article's pandas approach (bench/pandas_peer.py, when a python3 with pandas is found), and, when
 * BENCH_BASELINE names another checkout of this repository (with node_modules), that checkout's CLI.
 * Then in-process figures (timed around the work inside one process, start-up left out): prepare,
 * prepare with its output discarded, prepare with the shipped qa-auditor pipeline (whose 1 KB system
 * prompt goes into every record), and the raw copy. `prepare` uses bench/prepare-peer.json, the same
 * body the pandas peer writes. BENCH_RUNS sets the rounds (default 3); BENCH_CSV_PARSE=1 adds csv-parse.
 * Targets (issue 14): whole-process prepare >= 4x faster than the pandas peer and <= 3x the raw copy,
 * peak RSS <= 256 MB at 200 MB and at 1 GB. Figures go to bench/RESULTS.md by hand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineDescription } from './machine';
import { benchCsv, sizeOf } from './prepare-data';
import { fastest, medianSeconds, type ProcessMeasure, timeNode, timeProcess } from './whole-process';

interface Measure {
  seconds: number;
  cpuSeconds?: number;
  maxRssMb: number;
}

const here = import.meta.dirname;
const out = join(here, '.data', 'out');
const cliOut = join(here, '.data', 'out-cli');
const copyOut = join(here, '.data', 'out-copy.csv');
/** The same body as the pandas peer writes (apples to apples). */
const peerPipeline = join(here, 'prepare-peer.json');
/** The shipped pipeline: a 1 KB system prompt with a JSON Schema on every record (4x the output). */
const qaPipeline = join(here, '..', 'pipelines', 'qa-auditor.json');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const baseline = process.env.BENCH_BASELINE;

const COPY = [
  "const { createReadStream, createWriteStream } = require('node:fs');",
  "const { pipeline } = require('node:stream/promises');",
  'pipeline(createReadStream(process.argv[1]), createWriteStream(process.argv[2]));',
].join('');

function child(mode: string, csv: string, pipelineFile = peerPipeline): Measure {
  const text = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'prepare-child.ts'), mode, csv, out, pipelineFile],
    { encoding: 'utf8' },
  );
  return JSON.parse(text.trim().split('\n').pop()!) as Measure;
}

function best(mode: string, csv: string, count: number, pipelineFile = peerPipeline): Measure {
  return fastest(Array.from({ length: count }, () => child(mode, csv, pipelineFile)));
}

/** The first Python with pandas: `$PYTHON`, then `python3` on the PATH, then Debian's (python3-pandas). */
function pythonWithPandas(): string | undefined {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return candidates.find(
    (python) => spawnSync(python, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0,
  );
}

/** `bedrock-batch prepare` of the checkout at `root`, as a whole process. */
function cli(root: string, csv: string): ProcessMeasure {
  rmSync(cliOut, { recursive: true, force: true });
  const m = timeNode([
    join(root, 'bin', 'bedrock-batch.mjs'),
    'prepare',
    csv,
    '--pipeline',
    peerPipeline,
    '--out',
    cliOut,
  ]);
  rmSync(cliOut, { recursive: true, force: true });
  return m;
}

function copy(csv: string): ProcessMeasure {
  const m = timeNode(['-e', COPY, csv, copyOut]);
  rmSync(copyOut, { force: true });
  return m;
}

/** The pandas peer as a whole process; its own figures (after `import pandas`) are in `inProcess`. */
function pandas(python: string, csv: string): ProcessMeasure & { inProcess: Measure } {
  const m = timeProcess(python, [join(here, 'pandas_peer.py'), csv, `${out}.pandas.jsonl`]);
  rmSync(`${out}.pandas.jsonl`, { force: true });
  const inProcess = JSON.parse(m.stdout.trim()) as Measure;
  return { ...m, maxRssMb: inProcess.maxRssMb, inProcess };
}

function line(label: string, m: Measure): string {
  const cpu = m.cpuSeconds === undefined ? '' : ` (cpu ${m.cpuSeconds.toFixed(2)} s)`;
  return `${label.padEnd(34)} ${m.seconds.toFixed(2).padStart(7)} s ${m.maxRssMb.toFixed(0).padStart(6)} MB peak RSS${cpu}`;
}

/** Best wall, median wall, the best run's CPU and the highest peak RSS of all runs. */
function wholeLine(label: string, all: readonly ProcessMeasure[]): string {
  const b = fastest(all);
  const rss = Math.max(...all.map((m) => m.maxRssMb ?? 0));
  const cpu = b.cpuSeconds === undefined ? '' : `, cpu ${b.cpuSeconds.toFixed(2)} s`;
  return `${label.padEnd(34)} ${b.seconds.toFixed(2).padStart(7)} s best, ${medianSeconds(all).toFixed(2)} s median${cpu}, ${rss.toFixed(0)} MB peak RSS`;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

process.stdout.write(
  `machine: ${machineDescription()}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
const sizes = [200, ...(process.env.BENCH_PREPARE_1GB === '1' ? [1000] : [])];
const python = pythonWithPandas();
if (python === undefined) {
  process.stdout.write(
    'pandas peer: SKIPPED, no python3 with pandas here (Debian: apt-get install python3-pandas; the ' +
      'bench tries $PYTHON, python3, /usr/bin/python3), so the 4x target is not checked\n',
  );
}
// The CLI's fixed cost: the same command on a one-row file (start-up, pipeline, plan; no real work).
mkdirSync(join(here, '.data'), { recursive: true });
const tiny = join(here, '.data', 'one-row.csv');
writeFileSync(tiny, 'Context,Response\nhello,world\n');
const startup = Array.from({ length: runs }, () => cli(join(here, '..'), tiny));
process.stdout.write(`${wholeLine('bedrock-batch prepare, 1-row file', startup)} (the start-up share)\n`);
let ok = true;
for (const mb of sizes) {
  const csv = await benchCsv(mb);
  process.stdout.write(`\n${mb} MB file: ${sizeOf(csv)} bytes (load ${loadavg()[0]!.toFixed(1)})\n`);
  const whole = { copy: [] as ProcessMeasure[], prepare: [] as ProcessMeasure[] };
  const base: ProcessMeasure[] = [];
  const peer: (ProcessMeasure & { inProcess: Measure })[] = [];
  const withPeer = mb === 200 && python !== undefined;
  for (let round = 0; round < runs; round++) {
    whole.copy.push(copy(csv));
    whole.prepare.push(cli(join(here, '..'), csv));
    if (baseline !== undefined) base.push(cli(baseline, csv));
    if (withPeer) peer.push(pandas(python, csv));
  }
  process.stdout.write(`whole processes (${runs} alternating rounds, start-up included):\n`);
  process.stdout.write(`${wholeLine('raw stream copy (node -e)', whole.copy)}\n`);
  process.stdout.write(`${wholeLine('bedrock-batch prepare', whole.prepare)}\n`);
  if (baseline !== undefined) process.stdout.write(`${wholeLine(`baseline prepare (${baseline})`, base)}\n`);
  if (withPeer) {
    process.stdout.write(`${wholeLine('pandas peer (python3 pandas_peer.py)', peer)}\n`);
    process.stdout.write(
      `${line('pandas peer, after import pandas', fastest(peer.map((p) => p.inProcess)))}\n`,
    );
  }
  const prep = fastest(whole.prepare);
  const prepRss = Math.max(...whole.prepare.map((m) => m.maxRssMb ?? 0));
  const toCopy = prep.seconds / fastest(whole.copy).seconds;
  // Issue 14 sets the ratio on the 200 MB file; at 1 GB only peak RSS has a target (the copy's start-up
  // weighs less there, so the ratio is higher).
  const ratioTarget = mb === 200 ? ` (target <= 3): ${verdict(toCopy <= 3)}` : ' (no target at this size)';
  process.stdout.write(`prepare / raw copy = ${toCopy.toFixed(2)}${ratioTarget}\n`);
  if (mb === 200 && toCopy > 3) ok = false;
  if (withPeer) {
    const speedup = fastest(peer).seconds / prep.seconds;
    process.stdout.write(
      `pandas / prepare = ${speedup.toFixed(2)}x (target >= 4x): ${verdict(speedup >= 4)}\n`,
    );
    if (speedup < 4) ok = false;
  }
  process.stdout.write(
    `prepare peak RSS = ${prepRss.toFixed(0)} MB (target <= 256): ${verdict(prepRss <= 256)}\n`,
  );
  if (prepRss > 256) ok = false;

  process.stdout.write('in-process (timed around the work, start-up left out; best of the runs):\n');
  process.stdout.write(`${line('raw stream copy', best('copy', csv, runs))}\n`);
  process.stdout.write(`${line('prepare', best('prepare', csv, runs))}\n`);
  process.stdout.write(`${line('prepare, output discarded', best('prepare-null', csv, runs))}\n`);
  process.stdout.write(`${line('prepare, qa-auditor', best('prepare', csv, 1, qaPipeline))}\n`);
  if (process.env.BENCH_CSV_PARSE === '1')
    process.stdout.write(`${line('csv-parse (parse only)', best('csv-parse', csv, 1))}\n`);
}
rmSync(out, { recursive: true, force: true });
process.stdout.write(ok ? '\nprepare: within targets\n' : '\nprepare: MISSES a target (see above)\n');
process.exitCode = ok ? 0 : 1;

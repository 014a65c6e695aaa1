/**
 * Prepare speed and memory on a generated 200 MB, ~230,000-row CSV (set BENCH_PREPARE_1GB=1 to add the
 * 1 GB file), against a raw stream copy and, when python3 has pandas, the source article's approach.
 * Each measurement runs in its own process (best of 3). `prepare` uses bench/prepare-peer.json, the
 * same body the pandas peer writes; `qa-auditor` adds the shipped pipeline's 1 KB system prompt per
 * record. Set BENCH_CSV_PARSE=1 to also time csv-parse alone.
 * Targets (issue 3): prepare <= 1/3 of the pandas peer (7.9 s here) and <= 2.5x the raw copy;
 * peak RSS <= 256 MB. Figures go to bench/RESULTS.md by hand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchCsv, sizeOf } from './prepare-data';

interface Measure {
  seconds: number;
  cpuSeconds?: number;
  maxRssMb: number;
}

const here = import.meta.dirname;
const out = join(here, '.data', 'out');
/** The same body as the pandas peer writes (apples to apples). */
const peerPipeline = join(here, 'prepare-peer.json');
/** The shipped pipeline: a 1 KB system prompt with a JSON Schema on every record (4x the output). */
const qaPipeline = join(here, '..', 'pipelines', 'qa-auditor.json');

function child(mode: string, csv: string, pipelineFile = peerPipeline): Measure {
  const text = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'prepare-child.ts'), mode, csv, out, pipelineFile],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(text.trim().split('\n').pop()!) as Measure;
}

function best(mode: string, csv: string, runs: number, pipelineFile = peerPipeline): Measure {
  const all = Array.from({ length: runs }, () => child(mode, csv, pipelineFile));
  return all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

/** The first Python with pandas: `$PYTHON`, then `python3` on the PATH, then Debian's (python3-pandas). */
function pythonWithPandas(): string | undefined {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return candidates.find(
    (python) => spawnSync(python, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0,
  );
}

function pandas(csv: string): Measure | undefined {
  const python = pythonWithPandas();
  if (python === undefined) {
    process.stdout.write(
      'pandas peer: skipped (no python3 with pandas here; e.g. apt-get install python3-pandas)\n',
    );
    return undefined;
  }
  const text = execFileSync(python, [join(here, 'pandas_peer.py'), csv, `${out}.pandas.jsonl`], {
    encoding: 'utf8',
  });
  rmSync(`${out}.pandas.jsonl`, { force: true });
  return JSON.parse(text.trim()) as Measure;
}

function line(label: string, m: Measure): string {
  const cpu = m.cpuSeconds === undefined ? '' : ` (cpu ${m.cpuSeconds.toFixed(2)} s)`;
  return `${label.padEnd(26)} ${m.seconds.toFixed(2).padStart(7)} s ${m.maxRssMb.toFixed(0).padStart(6)} MB peak RSS${cpu}`;
}

process.stdout.write(
  `machine: ${cpus().length} cpus (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}\n`,
);
const sizes = [200, ...(process.env.BENCH_PREPARE_1GB === '1' ? [1000] : [])];
let ok = true;
for (const mb of sizes) {
  const csv = await benchCsv(mb);
  process.stdout.write(`\n${mb} MB file: ${sizeOf(csv)} bytes\n`);
  const copy = best('copy', csv, 3);
  const prep = best('prepare', csv, 3);
  const cpuOnly = best('prepare-null', csv, 3);
  const qa = best('prepare', csv, 1, qaPipeline);
  process.stdout.write(
    `${line('raw stream copy', copy)}\n${line('prepare', prep)}\n${line('prepare, output discarded', cpuOnly)}\n${line('prepare, qa-auditor', qa)}\n`,
  );
  if (process.env.BENCH_CSV_PARSE === '1')
    process.stdout.write(`${line('csv-parse (parse only)', best('csv-parse', csv, 1))}\n`);
  const peer = mb === 200 ? pandas(csv) : undefined;
  if (peer) process.stdout.write(`${line('pandas peer', peer)}\n`);
  const ratio = prep.seconds / copy.seconds;
  process.stdout.write(`prepare / raw copy = ${ratio.toFixed(2)} (target <= 2.5)\n`);
  if (peer)
    process.stdout.write(`prepare / pandas = ${(prep.seconds / peer.seconds).toFixed(2)} (target <= 0.33)\n`);
  if (ratio > 2.5 || prep.maxRssMb > 256) ok = false;
}
rmSync(out, { recursive: true, force: true });
process.stdout.write(ok ? '\nprepare: within targets\n' : '\nprepare: MISSES a target (see above)\n');

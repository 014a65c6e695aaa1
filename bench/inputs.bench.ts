/**
 * Inputs (issue 17): Prepare over a generated ~100 MB workbook (.xlsx, ~350,000 rows) and a ~200 MB
 * Parquet file (~630,000 rows, 50,000-row row groups), each in its own process (best of 2), and each
 * format's reader alone. Target: peak RSS <= 256 MB. Figures go to bench/RESULTS.md by hand.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { benchParquet, benchXlsx, megabytes } from './inputs-data';
import { machineDescription } from './machine';

interface Measure {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  detail: unknown;
}

const here = import.meta.dirname;
const out = join(here, '.data', 'inputs-out');
const pipelineFile = join(here, 'prepare-peer.json');

function child(mode: string, file: string): Measure {
  const text = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'inputs-child.ts'), mode, file, out, pipelineFile],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(text.trim().split('\n').pop()!) as Measure;
}

function best(mode: string, file: string, runs = 2): Measure {
  const all = Array.from({ length: runs }, () => child(mode, file));
  return all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

const files = [
  { label: 'xlsx', path: await benchXlsx(Number(process.env.BENCH_XLSX_ROWS ?? 350_000)) },
  { label: 'parquet', path: benchParquet(Number(process.env.BENCH_PARQUET_ROWS ?? 630_000)) },
];
process.stdout.write(`machine: ${machineDescription()}\n`);
let over = false;
for (const { label, path } of files) {
  for (const mode of ['read', 'prepare']) {
    const m = best(mode, path);
    over ||= m.maxRssMb > 256;
    process.stdout.write(
      `${label.padEnd(8)} ${megabytes(path).toFixed(0)} MB  ${mode.padEnd(8)} ${m.seconds.toFixed(1)} s (cpu ${m.cpuSeconds.toFixed(1)} s), peak RSS ${m.maxRssMb.toFixed(0)} MB  ${JSON.stringify(m.detail)}\n`,
    );
  }
}
if (over) {
  process.stdout.write('peak RSS above the 256 MB target\n');
  process.exitCode = 1;
}

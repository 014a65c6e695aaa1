/**
 * Prepare with dedupe on a generated file where 50% of the rows are duplicates (bench/dedupe-data.ts):
 * 200 MB by default, set BENCH_DEDUPE_1GB=1 for the 1 GB file of issue 16. Each measurement runs in its
 * own process (bench/prepare-child.ts, output to disk). Target: peak RSS <= 256 MB with dedupe on, the
 * memory of today's Prepare. Also shows what dedupe costs on a file with no duplicates (the 200 MB file
 * of bench/prepare.bench.ts), on against off. Figures go to bench/RESULTS.md by hand.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dedupeCsv } from './dedupe-data';
import { machineDescription } from './machine';
import { benchCsv, sizeOf } from './prepare-data';

interface Measure {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  detail: { rows: number; records: number; shards: number };
}

const here = import.meta.dirname;
const out = join(here, '.data', 'out-dedupe');
const base = {
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  promptTemplate: 'Client: {{Context}}\nTherapist: {{Response}}',
  maxTokens: 1000,
  temperature: 0,
};
const pipelines = {
  on: join(here, '.data', 'dedupe-on.json'),
  off: join(here, '.data', 'dedupe-off.json'),
};

function child(csv: string, pipelineFile: string): Measure {
  const text = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'prepare-child.ts'), 'prepare', csv, out, pipelineFile],
    { encoding: 'utf8' },
  );
  return JSON.parse(text.trim().split('\n').pop()!) as Measure;
}

function line(label: string, m: Measure): string {
  const d = m.detail;
  return `${label.padEnd(34)} ${m.seconds.toFixed(2).padStart(7)} s (cpu ${m.cpuSeconds.toFixed(2)} s) ${m.maxRssMb.toFixed(0).padStart(5)} MB peak RSS  rows ${d.rows} records ${d.records} shards ${d.shards}`;
}

process.stdout.write(`machine: ${machineDescription()}\n`);
mkdirSync(join(here, '.data'), { recursive: true });
// The pipeline files are written here, not read from the repository, so dedupe is explicit in each.
writeFileSync(pipelines.on, JSON.stringify({ ...base, dedupe: true }));
writeFileSync(pipelines.off, JSON.stringify({ ...base, dedupe: false }));
let ok = true;
const mb = process.env.BENCH_DEDUPE_1GB === '1' ? 1000 : 200;
const duplicates = await dedupeCsv(mb);
process.stdout.write(`\n${mb} MB file, 50% duplicate rows: ${sizeOf(duplicates)} bytes\n`);
const on = child(duplicates, pipelines.on);
process.stdout.write(`${line('prepare, dedupe on', on)}\n`);
process.stdout.write(`${line('prepare, dedupe off', child(duplicates, pipelines.off))}\n`);
if (on.maxRssMb > 256 || on.detail.records * 2 > on.detail.rows + 2) ok = false;
const distinct = await benchCsv(200);
process.stdout.write(`\n200 MB file, no duplicates: ${sizeOf(distinct)} bytes\n`);
process.stdout.write(`${line('prepare, dedupe on', child(distinct, pipelines.on))}\n`);
process.stdout.write(`${line('prepare, dedupe off', child(distinct, pipelines.off))}\n`);
rmSync(out, { recursive: true, force: true });
process.stdout.write(ok ? '\ndedupe: within target\n' : '\ndedupe: MISSES the target (see above)\n');

/**
 * Collect speed and memory on one generated 50,000-record shard (Claude, json mode with a schema, lines
 * shuffled, 1% model errors): the same core and file-backed spill store as the Lambda, reading local
 * files through Collect's clock (`withinTime`) and writing the three results files locally. Each measurement runs in a fresh `node` process
 * on an esbuild bundle of bench/collect-child.ts (as the Lambda is bundled), so peak RSS is Collect's own. Each figure
 * is given in-process (timed around the work) and as the whole process (spawn to exit, start-up included).
 * When BENCH_BASELINE names another checkout of this repository, that checkout's collect bench is bundled
 * too and its collect run alternates with this one's. The in-memory peer (collect-peer.ts), the straightforward
 * program the public samples write, runs over the same shard, and so does a floor: reading, parsing and
 * writing as many bytes with none of Collect's work. It also prints the CPU seconds the target leaves (the
 * shard's time at 100 MB/s on every core), beside what Collect and the floor used. Targets (issue 14): >= 100 MB/s of `.jsonl.out`,
 * <= 256 MB peak RSS. Data goes to bench/.data/collect (gitignored); figures go to bench/RESULTS.md by hand.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleForNode } from './bundle';
import { dir, generate, outFile, RECORDS, rowsFile } from './collect-data';
import { machineDescription } from './machine';
import { fastest, medianSeconds, timeNode } from './whole-process';

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

/** Bundles a collect bench's measured process (this checkout's, or a baseline checkout's) into the data folder. */
function bundle(entry: string, name: string): Promise<string> {
  return bundleForNode(entry, join(dir, name));
}

/** A checkout's measured process (an older checkout keeps it in collect.bench.ts). */
function childOf(checkout: string): string {
  const child = join(checkout, 'bench', 'collect-child.ts');
  return existsSync(child) ? child : join(checkout, 'bench', 'collect.bench.ts');
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

function digestOf(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function measure(script: string, mode: string): Measured {
  return summary(Array.from({ length: RUNS }, () => once(script, mode)));
}

async function main(): Promise<void> {
  process.stdout.write(
    `machine: ${machineDescription()}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  await generate();
  const script = await bundle(join(import.meta.dirname, 'collect-child.ts'), 'collect-bench.mjs');
  const baseline = process.env.BENCH_BASELINE;
  const baseScript =
    baseline === undefined ? undefined : await bundle(childOf(baseline), 'collect-baseline.mjs');
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
  const floor = measure(script, '--child-floor');
  process.stdout.write(`${line('floor (read, parse, write)', floor)}\n`);
  process.stdout.write(`${line('read side (index + spill)', measure(script, '--child-index'))}\n`);
  const peer = measure(script, '--child-peer');
  process.stdout.write(`${line('in-memory peer', peer)}\n`);
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
  process.stdout.write(
    `in-memory peer / collect: ${(peer.seconds / collect.seconds).toFixed(2)}x in-process, ` +
      `${(peer.whole.seconds / collect.whole.seconds).toFixed(2)}x whole process\n`,
  );
  const same = ['results.csv', 'results.jsonl'].every(
    (name) => digestOf(join(dir, name)) === digestOf(join(dir, `peer-${name}`)),
  );
  process.stdout.write(
    `in-memory peer wrote the same results.csv and results.jsonl bytes: ${same ? 'yes' : 'NO'}\n`,
  );
  process.stdout.write(
    `collect / floor: ${(collect.seconds / floor.seconds).toFixed(2)}x in-process, ` +
      `${(collect.whole.seconds / floor.whole.seconds).toFixed(2)}x whole process (the floor, with none of ` +
      `Collect's work, reads at ${rate(floor.whole.seconds)} as a whole process)\n`,
  );
  // What the target leaves: the shard's time at 100 MB/s, on every core of this machine, in CPU seconds.
  const budget = (mb / TARGET_MBS) * availableParallelism();
  process.stdout.write(
    `CPU budget at ${TARGET_MBS} MB/s: ${budget.toFixed(2)} CPU seconds (${(mb / TARGET_MBS).toFixed(2)} s on ` +
      `${availableParallelism()} cores, perfectly parallel); collect used ${collect.whole.cpuSeconds.toFixed(2)} ` +
      `(${(collect.whole.cpuSeconds / budget).toFixed(2)}x), the floor ${floor.whole.cpuSeconds.toFixed(2)}\n`,
  );
  const written = ['results.csv', 'results.jsonl', 'errors.csv', 'peer-results.csv', 'peer-results.jsonl'];
  for (const name of [...written, 'floor-results.csv', 'floor-results.jsonl'])
    rmSync(join(dir, name), { force: true });
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const inner = mb / collect.seconds >= TARGET_MBS;
  const whole = mb / collect.whole.seconds >= TARGET_MBS;
  const rss = collect.maxRssMb <= 256;
  process.stdout.write(
    `collect ${rate(collect.seconds)} in-process (target >= ${TARGET_MBS} MB/s): ${verdict(inner)}; ` +
      `${rate(collect.whole.seconds)} as a whole process (target >= ${TARGET_MBS} MB/s): ${verdict(whole)}; ` +
      `${collect.maxRssMb.toFixed(0)} MB peak RSS (target <= 256 MB): ${verdict(rss)}\n`,
  );
  const ok = inner && whole && rss;
  process.stdout.write(ok ? 'collect: within targets\n' : 'collect: MISSES a target (see above)\n');
  process.exitCode = ok ? 0 : 1;
}

await main();

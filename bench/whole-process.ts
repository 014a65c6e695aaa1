/**
 * Whole-process measurements for the benches: wall time from spawn to exit (start-up included), and,
 * for Node children, the process's own peak RSS and CPU time (written at exit by usage-on-exit.cjs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One whole-process run. `maxRssMb`/`cpuSeconds` are absent when the child is not Node. */
export interface ProcessMeasure {
  seconds: number;
  maxRssMb?: number;
  cpuSeconds?: number;
  stdout: string;
}

const usageHook = join(import.meta.dirname, 'usage-on-exit.cjs');

/** Runs `command args` to completion and times it; throws with its stderr when it fails. */
export function timeProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): ProcessMeasure {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return { seconds, stdout: result.stdout };
}

/** Runs `node <args>` with the usage hook preloaded: wall, peak RSS and CPU of the whole process. */
export function timeNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): ProcessMeasure {
  const file = join(tmpdir(), `bench-usage-${process.pid}.json`);
  rmSync(file, { force: true });
  const m = timeProcess(process.execPath, ['--require', usageHook, ...args], {
    ...env,
    BENCH_USAGE_FILE: file,
  });
  const usage = JSON.parse(readFileSync(file, 'utf8')) as { maxRssMb: number; cpuSeconds: number };
  rmSync(file, { force: true });
  return { ...m, ...usage };
}

/** The run with the least wall time. */
export function fastest<T extends { seconds: number }>(runs: readonly T[]): T {
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

/** The median wall time of `runs`. */
export function medianSeconds(runs: readonly { seconds: number }[]): number {
  const sorted = runs.map((r) => r.seconds).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

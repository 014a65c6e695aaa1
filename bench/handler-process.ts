/**
 * Runs a handler bundle as it ships in a fresh `node` (bench/handler-child.mjs), asynchronously, so an
 * embedded S3 in the bench's own process keeps serving it: the handler's own figures, the whole process's
 * (spawn to exit, from bench/usage-on-exit.cjs) and the bench process's CPU meanwhile (the S3 server's).
 * BENCH_NODE_FLAGS adds flags to the measured process (`--cpu-prof --cpu-prof-dir=<dir>` to profile it).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineDescription } from './machine';

const CHILD = join(import.meta.dirname, 'handler-child.mjs');
const USAGE_HOOK = join(import.meta.dirname, 'usage-on-exit.cjs');

/** Checks that `bundle` was built and prints the machine line, as every handler bench starts. */
export function startHandlerBench(bundle: string): void {
  // The SDK's notice that its releases after January 2027 need Node 22 (versions are pinned here).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const load = loadavg().map((l) => l.toFixed(1));
  process.stdout.write(`machine: ${machineDescription()}, load ${load.join(' ')}\n`);
}

/** One handler run. */
export interface HandlerRun<T> {
  /** In the handler call. */
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly output: T;
  /** Spawn to exit. */
  readonly whole: { readonly seconds: number; readonly cpuSeconds: number; readonly maxRssMb: number };
  /** The bench process's CPU while the child ran (the embedded S3's). */
  readonly serverCpuSeconds: number;
}

/** Calls the handler of `bundle` once with `event`, the variables `env` added to this process's. */
export function runHandler<T>(
  bundle: string,
  event: unknown,
  env: Record<string, string>,
): Promise<HandlerRun<T>> {
  const files = ['event', 'result', 'usage'].map((name) =>
    join(tmpdir(), `bench-handler-${name}-${process.pid}.json`),
  );
  const [eventFile, resultFile, usageFile] = files as [string, string, string];
  writeFileSync(eventFile, JSON.stringify(event));
  const serverCpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter((flag) => flag !== '') ?? [];
  const child = spawn(process.execPath, [...flags, '--require', USAGE_HOOK, CHILD, bundle, eventFile], {
    env: { ...process.env, ...env, BENCH_RESULT_FILE: resultFile, BENCH_USAGE_FILE: usageFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const server = process.cpuUsage(serverCpu);
      try {
        if (code !== 0) throw new Error(`${bundle} exited ${code}: ${Buffer.concat(stderr).toString()}`);
        const inner = JSON.parse(readFileSync(resultFile, 'utf8')) as Omit<
          HandlerRun<T>,
          'whole' | 'serverCpuSeconds'
        >;
        const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssMb: number; cpuSeconds: number };
        resolve({
          ...inner,
          whole: { seconds, ...usage },
          serverCpuSeconds: (server.user + server.system) / 1e6,
        });
      } catch (error) {
        reject(error);
      } finally {
        for (const file of files) rmSync(file, { force: true });
      }
    });
  });
}

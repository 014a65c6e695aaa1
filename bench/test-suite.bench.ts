/**
 * `npm test` as a newcomer runs it (issue 14: <= 120 s wall on this 2-core machine): a fresh clone of the
 * committed HEAD, node_modules hard-linked from this checkout without its caches (no tsc incremental
 * state, no cached assembly), the dist/ build `npm ci` makes, then `npm test` timed as a whole process,
 * wall and CPU (user + sys of the whole process tree, from /proc). Takes several minutes: run it alone
 * (`npm run bench -- test-suite`) on an idle machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { machineDescription } from './machine';

const root = join(import.meta.dirname, '..');
const TARGET_SECONDS = 120;

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
}

/** CPU seconds (user + sys) of this process's waited-for children so far (Linux /proc). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  // Fields 16 and 17 of the stat line (cutime, cstime); the slice starts at field 3.
  return (Number(fields[13]) + Number(fields[14])) / ticks;
}

const clone = mkdtempSync(join(tmpdir(), 'bench-test-suite-'));
try {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
  }).stdout.trim();
  run('git', ['clone', '--quiet', root, clone], root);
  run('cp', ['-al', join(root, 'node_modules'), join(clone, 'node_modules')], root);
  rmSync(join(clone, 'node_modules', '.cache'), { recursive: true, force: true });
  run(process.execPath, ['scripts/build.mjs', '--declarations', '--quiet'], clone);

  const loadBefore = loadavg()[0] ?? 0;
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const test = spawnSync('npm', ['test'], {
    cwd: clone,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', BEDROCK_BATCH_CACHE_DIR: join(clone, '.assembly-cache') },
    maxBuffer: 256 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = childrenCpuSeconds() - cpuBefore;
  const summary = /Tests\s+.*\(\d+\)/.exec(stripVTControlCharacters(test.stdout))?.[0] ?? 'no summary';
  const met = test.status === 0 && seconds <= TARGET_SECONDS;
  process.stdout.write(
    [
      `machine          ${machineDescription()}, load ${loadBefore.toFixed(2)} before, ${loadavg()[0]?.toFixed(2)} after`,
      `commit           ${commit} (fresh clone, empty caches)`,
      `npm test         ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (user + sys), exit ${test.status} (target <= ${TARGET_SECONDS} s wall)`,
      `vitest           ${summary}`,
      met ? 'all targets met' : `missed: npm test passing in <= ${TARGET_SECONDS} s`,
      '',
    ].join('\n'),
  );
  process.exitCode = met ? 0 : 1;
} finally {
  rmSync(clone, { recursive: true, force: true });
}

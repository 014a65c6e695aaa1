/**
 * Start-up of the `bedrock-batch` command as a whole process (spawn to exit), beside a bare `node -e 0`
 * measured in the same run: `--help` (target <= 0.3 s wall, issue 14) and the help of the verbs that load
 * the most (`local`: the runner, the embedded S3 and the emulator, still no AWS CDK). Median of 11 runs
 * each, interleaved so that a change of the machine's load hits every command alike. The CLI runs from
 * dist/ (built by `npm ci` or `npm run build`). Figures go to bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineDescription } from './machine';

const root = join(import.meta.dirname, '..');
const RUNS = 11;
const TARGET_SECONDS = 0.3;

const commands: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'bedrock-batch --help': ['bin/bedrock-batch.mjs', '--help'],
  'bedrock-batch prepare --help': ['bin/bedrock-batch.mjs', 'prepare', '--help'],
  'bedrock-batch local --help': ['bin/bedrock-batch.mjs', 'local', '--help'],
};

function seconds(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const elapsed = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const load = loadavg()[0];
const times = new Map<string, number[]>(Object.keys(commands).map((name) => [name, []]));
for (const args of Object.values(commands)) seconds(args); // warm the file cache
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(commands)) times.get(name)?.push(seconds(args));
}
const medians = new Map([...times].map(([name, values]) => [name, median(values)]));
const bare = medians.get('node -e 0') as number;
const help = medians.get('bedrock-batch --help') as number;
const met = help <= TARGET_SECONDS;
process.stdout.write(
  [
    `machine                       ${machineDescription()}, load ${load?.toFixed(2)} before, ${loadavg()[0]?.toFixed(2)} after`,
    ...[...medians].map(
      ([name, value]) =>
        `${name.padEnd(30)}${value.toFixed(3)} s wall (median of ${RUNS})${
          name === 'node -e 0' ? '' : `, node start-up + ${(value - bare).toFixed(3)} s`
        }${name === 'bedrock-batch --help' ? ` (target <= ${TARGET_SECONDS} s)` : ''}`,
    ),
    met ? 'all targets met' : `missed: bedrock-batch --help <= ${TARGET_SECONDS} s`,
    '',
  ].join('\n'),
);
process.exitCode = met ? 0 : 1;

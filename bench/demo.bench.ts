/**
 * `npm run demo` speed on 1,000 rows: the CLI `local` verb in a fresh process (tsx start, synthesis, the
 * embedded S3, the Bedrock emulator, the local state machine with the real handlers, the results files),
 * timed wall-clock from spawn to exit. Target (issue 8): <= 15 s. The CSV repeats the rows of
 * examples/conversations.csv; data goes to bench/.data/demo (gitignored); figures go to bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const ROWS = 1_000;
const TARGET_SECONDS = 15;
const root = join(import.meta.dirname, '..');
const dir = join(import.meta.dirname, '.data', 'demo');
const csvPath = join(dir, 'conversations-1000.csv');
const outDir = join(dir, 'out');

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const [header, ...rows] = parse(readFileSync(join(root, 'examples', 'conversations.csv'))) as string[][];
const body = Array.from({ length: ROWS }, (_, i) => rows[i % rows.length] as string[]);
writeFileSync(csvPath, stringify([header as string[], ...body]));

const started = performance.now();
const result = spawnSync(
  process.execPath,
  ['bin/bedrock-batch.mjs', 'local', csvPath, '--pipeline', 'pipelines/qa-auditor.json', '--out', outDir],
  { cwd: root, encoding: 'utf8' },
);
const seconds = (performance.now() - started) / 1000;
const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as {
  counts: Record<string, number>;
};

process.stdout.write(
  [
    `machine      ${cpus().length} cpus (${cpus()[0]?.model ?? '?'}), load ${loadavg()[0]?.toFixed(2)}`,
    `rows         ${ROWS} (counts ${JSON.stringify(summary.counts)})`,
    `exit code    ${result.status}`,
    `wall time    ${seconds.toFixed(2)} s (target <= ${TARGET_SECONDS} s)`,
    '',
  ].join('\n'),
);
if (result.status !== 0 || summary.counts.input !== ROWS || seconds > TARGET_SECONDS) {
  process.stderr.write(result.stdout + result.stderr);
  process.exitCode = 1;
}

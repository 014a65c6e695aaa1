/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process, one after the other.
 * A name filter may be given: `npm run bench -- prepare`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (filter === undefined || f.includes(filter)))
  .sort();
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n=== ${file}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.stdout.write(`\nbenchmarks run: ${files.length}, errors: ${failed}\n`);
process.exitCode = failed > 0 ? 1 : 0;

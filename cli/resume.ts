/** `--resume <dir>` of `bedrock-batch local`: the earlier run's results folder, read and checked. */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_FILES } from '../lambda/core/contract/layout';
import type { PreviousRun } from '../lambda/core/rerun/fingerprint';
import { previousRunOf } from '../lambda/core/rerun/previous-run';
import { UsageError } from './usage';

/**
 * The run whose results are in `dir` (its summary.json), after checking that its results.jsonl is there.
 *
 * @throws UsageError (exit 2) when `dir` does not hold a finished run's results.
 */
export function readPreviousRun(dir: string): PreviousRun {
  const summaryPath = join(dir, RESULT_FILES.summary);
  if (!existsSync(summaryPath) || !existsSync(join(dir, RESULT_FILES.jsonl))) {
    throw new UsageError(
      `--resume ${dir} holds no finished run: it needs the summary.json and results.jsonl a run wrote there`,
      false,
    );
  }
  let previous: PreviousRun | undefined;
  try {
    previous = previousRunOf(JSON.parse(readFileSync(summaryPath, 'utf8')));
  } catch {
    previous = undefined;
  }
  if (previous === undefined) throw new UsageError(`${summaryPath} is not a run's summary.json`, false);
  return previous;
}

/** SHA-256 (hex) of a file's bytes, streamed. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

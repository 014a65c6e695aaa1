/**
 * The largest run one Collect can read. Collect joins a whole run in one Lambda invocation of at most
 * {@link COLLECT_TIMEOUT_SECONDS}, and reads every line of Bedrock's output, which repeats each record's
 * model input: a run's prompt bytes are a floor on what Collect must read. Prepare refuses, before any
 * job, a run whose prompts alone are more than Collect reads in its time at {@link COLLECT_READ_CEILING}:
 * that run would be billed and then fail in Collect (docs/platform.md, "Collect's time: the largest run").
 */
import { RunTooLargeError } from '../contract/errors';

/** Collect's timeout, Lambda's maximum (lib/function-specs.ts deploys Collect with it). */
export const COLLECT_TIMEOUT_SECONDS = 900;

/**
 * Collect's memory in MB (lib/function-specs.ts deploys Collect with it): Lambda gives a function one vCPU
 * per 1,769 MB, so this sets how fast one Collect reads (`npm run bench -- collect-s3`).
 */
export const COLLECT_MEMORY_MB = 2048;

/**
 * Bytes of `.jsonl.out` a second Collect is assumed to read at best: the fastest Collect measured on the
 * benchmark machine (47.7–52 MB/s, bench/RESULTS.md), so only runs that fail unless Lambda is faster are refused.
 */
export const COLLECT_READ_CEILING = 50_000_000;

/** Prompt bytes above which a run is refused: 45 GB. */
export const COLLECT_PROMPT_LIMIT = COLLECT_TIMEOUT_SECONDS * COLLECT_READ_CEILING;

/**
 * Prompt bytes per file the refusal advises: under the 20 GB of output the shipped Collect reads through
 * the AWS SDK in 15 minutes at the about 22 MB/s measured (`npm run bench -- collect-s3`), with room for
 * the answers.
 */
const ADVISED_PROMPT_BYTES = 15_000_000_000;

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/**
 * Refuses a run whose prompts (`promptBytes` over `records` records, from `rows` data rows) are more than
 * {@link COLLECT_PROMPT_LIMIT}.
 *
 * @throws RunTooLargeError saying the run's size, the limit and how many rows a file should have.
 */
export function checkRunSize(rows: number, records: number, promptBytes: number): void {
  if (promptBytes <= COLLECT_PROMPT_LIMIT) return;
  const rowsPerFile = Math.max(1, Math.floor((rows * ADVISED_PROMPT_BYTES) / promptBytes));
  throw new RunTooLargeError(
    `This run would send ${gb(promptBytes)} of prompts (${records} records). Bedrock's output repeats every ` +
      `prompt, and Collect reads a whole run's output in one Lambda invocation of at most ` +
      `${COLLECT_TIMEOUT_SECONDS / 60} minutes: even at ${COLLECT_READ_CEILING / 1e6} MB/s, the fastest Collect ` +
      `measured, that is ${gb(COLLECT_PROMPT_LIMIT)}, so the run would be billed and then fail. Nothing was ` +
      `sent. Split the file into files of at most ${rowsPerFile} rows and upload each as its own run.`,
  );
}

/**
 * Collect stopping itself before Lambda does. A run whose output one Collect cannot read in its 15 minutes
 * (docs/platform.md, "Collect's time: the largest run") would otherwise end in a Lambda timeout, which the
 * failure report can only call `INTERNAL_ERROR`. Reading through {@link withinTime}, Collect stops with
 * {@link COLLECT_MARGIN_MS} left, time to abort the result uploads, and fails with `RUN_TOO_LARGE` and how
 * far it got.
 */
import { RunTooLargeError } from '../contract/errors';
import type { Deadline } from '../on-demand/budget';
import { COLLECT_TIMEOUT_SECONDS } from './run-size';

/** Time kept for aborting the result uploads once Collect stops itself. */
export const COLLECT_MARGIN_MS = 30_000;

/** Lines read between two looks at the clock (a few milliseconds of work). */
export const LINES_PER_CHECK = 1_000;

/** Where Collect is in the run: the shard's place in join order (1-based) among `shards`, and the run's rows. */
export interface CollectPlace {
  readonly position: number;
  readonly shards: number;
  readonly rows: number;
}

/**
 * Yields `lines` unchanged, looking at `deadline` before the first and every {@link LINES_PER_CHECK}.
 *
 * @throws RunTooLargeError when {@link COLLECT_MARGIN_MS} or less remain.
 */
export async function* withinTime<T>(
  lines: AsyncIterable<T>,
  deadline: Deadline,
  place: CollectPlace,
): AsyncGenerator<T> {
  let count = 0;
  for await (const line of lines) {
    if (count++ % LINES_PER_CHECK === 0 && deadline.remainingMs() <= COLLECT_MARGIN_MS)
      throw outOfTime(place);
    yield line;
  }
}

function outOfTime({ position, shards, rows }: CollectPlace): RunTooLargeError {
  const done = position - 1;
  // Four fifths of what one Collect joined here, as a file's share of the run's rows.
  const perFile = done > 0 ? ` of at most ${Math.max(1, Math.floor((rows * done * 0.8) / shards))} rows` : '';
  return new RunTooLargeError(
    `Collect ran out of time at shard ${position} of ${shards}: this run's Bedrock output is more than one ` +
      `Collect reads in its ${COLLECT_TIMEOUT_SECONDS / 60} minutes. The jobs ran and were billed, but no results were published. Split the ` +
      `file into files${perFile} and upload each as its own run.`,
  );
}

/** A bounded-concurrency loop over an async source that can stop taking new items. */

/** What {@link runBounded} did. */
export interface RunCounts {
  /** Items handed to the worker. */
  readonly started: number;
  /** Items left untouched because `mayStart` said no. */
  readonly skipped: number;
}

/**
 * Runs `work` on the items of `source`, at most `concurrency` at a time, in source order. Before each
 * new item, `mayStart()` is asked; once it says no, no item is started and the rest of the source is
 * only counted. A failing `work` stops the loop and rejects with its error after running items settle.
 *
 * @example await runBounded(records, 4, (record) => answer(record), () => budget.allowsNewWork())
 */
export async function runBounded<T>(
  source: AsyncIterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
  mayStart: () => boolean = () => true,
): Promise<RunCounts> {
  const iterator = source[Symbol.asyncIterator]();
  let lock: Promise<unknown> = Promise.resolve();
  let started = 0;
  let skipped = 0;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  const take = (): Promise<IteratorResult<T>> => {
    const next = lock.then(() => iterator.next());
    lock = next.catch(() => undefined);
    return next;
  };
  const worker = async () => {
    while (failure === undefined) {
      const step = await take();
      if (step.done) return;
      if (stopped || !mayStart()) {
        stopped = true;
        skipped++;
        continue;
      }
      started++;
      try {
        await work(step.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure !== undefined) {
    await iterator.return?.();
    throw failure.error;
  }
  return { started, skipped };
}

/** Promise probes for tests of code that resolves promises as a stream reports progress. */

/** Which of `promises` have settled once the callbacks already queued have run (one turn of the event loop). */
export async function settledNow(promises: readonly Promise<unknown>[]): Promise<boolean[]> {
  const done = promises.map(() => false);
  promises.forEach((promise, i) => {
    promise.then(
      () => {
        done[i] = true;
      },
      () => {
        done[i] = true;
      },
    );
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

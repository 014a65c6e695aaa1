/** Async iteration helpers for tests of streaming code. */

/** The lines as an async iterable, as a stream reader would give them. */
export async function* iterate<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** Everything an async iterable yields, in order. */
export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

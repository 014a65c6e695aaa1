/** A line stream read one parsed item ahead, for the row streams Collect merges by row number. */

/**
 * The lines of `open()` (opened at the first peek), each given to `parse`: lines it returns `undefined`
 * for are skipped (`parse` warns about them where that matters), the others are items, one held ahead.
 */
export class ParsedLines<T> {
  private iterator: AsyncIterator<string> | undefined;
  private next: T | undefined;
  private done = false;

  constructor(
    private readonly open: () => AsyncIterator<string>,
    private readonly parse: (line: string) => T | undefined,
  ) {}

  /** The next item, left in place; `undefined` when the lines are done. */
  async peek(): Promise<T | undefined> {
    while (this.next === undefined && !this.done) {
      this.iterator ??= this.open();
      const step = await this.iterator.next();
      if (step.done) this.done = true;
      else this.next = this.parse(step.value);
    }
    return this.next;
  }

  /** The item {@link peek} returned, consumed. */
  take(): T | undefined {
    const item = this.next;
    this.next = undefined;
    return item;
  }
}

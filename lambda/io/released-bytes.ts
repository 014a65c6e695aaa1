/**
 * When the bytes written to a stream are no longer needed by it: promises for "everything up to offset
 * N", settled as the stream reports how far it got. Prepare's S3 uploads use it so that the encoder can
 * reuse its arenas (lambda/core/prepare/encoder.ts `recycle`).
 */

/** Promises on byte offsets of one stream, resolved in offset order. */
export class ReleasedBytes {
  private releasedUpTo = 0;
  private waiting: { offset: number; promise: Promise<void>; resolve: () => void }[] = [];
  private ended = false;

  /**
   * Resolves once the bytes before `offset` are released (at once when they already are). Asking again
   * for the offset last asked for, with nothing written in between, returns the same promise.
   */
  after(offset: number): Promise<void> {
    if (this.ended || offset <= this.releasedUpTo) return Promise.resolve();
    const last = this.waiting.at(-1);
    if (last?.offset === offset) return last.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((settle) => {
      resolve = settle;
    });
    this.waiting.push({ offset, promise, resolve });
    return promise;
  }

  /** The bytes before `offset` are no longer needed. Offsets may come in any order. */
  release(offset: number): void {
    if (offset <= this.releasedUpTo) return;
    this.releasedUpTo = offset;
    let settled = 0;
    while (settled < this.waiting.length && this.waiting[settled]!.offset <= offset) {
      this.waiting[settled]!.resolve();
      settled++;
    }
    if (settled > 0) this.waiting = this.waiting.slice(settled);
  }

  /** The stream is done (finished or aborted): every promise resolves, now and later. */
  end(): void {
    this.ended = true;
    for (const { resolve } of this.waiting) resolve();
    this.waiting = [];
  }
}

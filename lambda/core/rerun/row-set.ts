/**
 * A set of data-row numbers as a growable bitset: one bit per row up to the largest member (a
 * 10-million-row file takes 1.25 MB), for the rows a re-run carries over instead of sending.
 */
export class RowSet {
  private bits = new Uint32Array(1024);
  private count = 0;

  /** Members. */
  get size(): number {
    return this.count;
  }

  /** Adds a 1-based row number. */
  add(row: number): void {
    const word = row >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (row & 31);
    if ((this.bits[word]! & mask) === 0) this.count++;
    this.bits[word]! |= mask;
  }

  /** True when `row` is a member. */
  has(row: number): boolean {
    const word = row >>> 5;
    return word < this.bits.length && (this.bits[word]! & (1 << (row & 31))) !== 0;
  }
}

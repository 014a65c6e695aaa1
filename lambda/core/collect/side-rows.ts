/**
 * Rows that are not in a shard's sidecar but belong between its rows by row number: rejected rows,
 * duplicate rows (dedupe) and rows carried over from a previous run (re-run). Each kind is a stream in
 * row order; the join writes the smallest row number first, so results stay in input order.
 */

/** One stream of rows in row order. */
export interface SideRows {
  /** The next row's number, or `undefined` when the stream is done. */
  peekRow(): Promise<number | undefined>;
  /** Writes the next row. */
  emitNext(): Promise<void>;
}

/** Writes, across `sides`, every row numbered below `row`, smallest first. */
export async function emitSideRowsBefore(sides: readonly SideRows[], row: number): Promise<void> {
  for (;;) {
    let next: SideRows | undefined;
    let lowest = row;
    for (const side of sides) {
      const at = await side.peekRow();
      if (at !== undefined && at < lowest) {
        next = side;
        lowest = at;
      }
    }
    if (next === undefined) return;
    await next.emitNext();
  }
}

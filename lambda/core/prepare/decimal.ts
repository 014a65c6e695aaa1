/** Decimal digits written straight into bytes (record ids, row and line numbers in the encoder). */

/**
 * Writes `n` (a non-negative integer) in decimal at `pos`, zero-padded to `width` digits; returns the
 * position after it.
 *
 * @example writeDecimal(bytes, 0, 42, 4) // bytes starts with "0042", returns 4
 */
export function writeDecimal(dst: Uint8Array, pos: number, n: number, width = 1): number {
  let len = 1;
  for (let p = 10; p <= n; p *= 10) len++;
  // A few zeros: a loop costs less than a `fill` call.
  for (let k = len; k < width; k++) dst[pos++] = 0x30;
  let at = pos + len;
  if (n <= 0x7fffffff) {
    // Integer division while the number fits in 32 bits (every row and line number in practice).
    for (let v = n | 0, q = 0; at > pos; v = q) {
      q = (v / 10) | 0;
      dst[--at] = 0x30 + v - q * 10;
    }
  } else {
    do {
      dst[--at] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }
  return pos + len;
}

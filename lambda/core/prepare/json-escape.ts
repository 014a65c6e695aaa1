/**
 * JSON string escaping on UTF-8 bytes, without decoding them. For valid UTF-8 input the output is
 * byte-identical to the UTF-8 encoding of `JSON.stringify(text)`: `"` and `\` are escaped, control
 * characters U+0000..U+001F become `\b \t \n \f \r` or `\u00xx`, and everything else (DEL, every
 * multi-byte sequence) is copied as is. Valid UTF-8 holds no lone surrogates, the one case where
 * JSON.stringify would differ further.
 */

const HEX = '0123456789abcdef';
const SHORT: Record<number, number> = { 8: 0x62, 9: 0x74, 10: 0x6e, 12: 0x66, 13: 0x72 };

/** The most bytes escaping `n` input bytes can produce, quotes included. */
export function escapedBound(n: number): number {
  return 6 * n + 2;
}

/**
 * Writes `src[from, to)` as a quoted JSON string into `dst` at `pos`; returns the position after the
 * closing quote. `dst` must have {@link escapedBound} bytes free.
 *
 * @example const end = escapeJsonInto(Buffer.from('a"b'), 0, 3, out, 0); // out = "a\"b"
 */
export function escapeJsonInto(src: Buffer, from: number, to: number, dst: Buffer, pos: number): number {
  dst[pos++] = 0x22;
  for (let i = from; i < to; i++) {
    const b = src[i]!;
    if (b >= 0x20 && b !== 0x22 && b !== 0x5c) {
      dst[pos++] = b;
      continue;
    }
    dst[pos++] = 0x5c;
    if (b === 0x22 || b === 0x5c) {
      dst[pos++] = b;
      continue;
    }
    const short = SHORT[b];
    if (short !== undefined) {
      dst[pos++] = short;
      continue;
    }
    dst[pos++] = 0x75;
    dst[pos++] = 0x30;
    dst[pos++] = 0x30;
    dst[pos++] = HEX.charCodeAt(b >> 4);
    dst[pos++] = HEX.charCodeAt(b & 15);
  }
  dst[pos++] = 0x22;
  return pos;
}

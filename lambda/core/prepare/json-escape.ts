/**
 * JSON string escaping on UTF-8 bytes, without decoding them. For valid UTF-8 input the output is
 * byte-identical to the UTF-8 encoding of `JSON.stringify(text)`: `"` and `\` are escaped, control
 * characters U+0000..U+001F become `\b \t \n \f \r` or `\u00xx`, and everything else (DEL, every
 * multi-byte sequence) is copied as is. Valid UTF-8 holds no lone surrogates, the one case where
 * JSON.stringify would differ further.
 */

const HEX = '0123456789abcdef';

/**
 * Per byte: 0 = copied as is; otherwise the byte written after `\` (`"`, `\`, `b t n f r`), or `u`
 * for the `\u00xx` form.
 */
const ESCAPE = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) ESCAPE[b] = 0x75;
ESCAPE[8] = 0x62;
ESCAPE[9] = 0x74;
ESCAPE[10] = 0x6e;
ESCAPE[12] = 0x66;
ESCAPE[13] = 0x72;
ESCAPE[0x22] = 0x22;
ESCAPE[0x5c] = 0x5c;

/** The most bytes escaping `n` input bytes can produce, quotes included. */
export function escapedBound(n: number): number {
  return 6 * n + 2;
}

/** DataViews of the last source and destination seen (a chunk and a slab serve many cells). */
const views: { src: Uint8Array; srcView: DataView; dst: Uint8Array; dstView: DataView } = {
  src: new Uint8Array(0),
  srcView: new DataView(new ArrayBuffer(0)),
  dst: new Uint8Array(0),
  dstView: new DataView(new ArrayBuffer(0)),
};

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Writes `src[from, to)` as a quoted JSON string into `dst` at `pos`; returns the position after the
 * closing quote. `dst` must have {@link escapedBound} bytes free. With `doubledQuotes`, the source is
 * a quoted CSV cell's inside with its quotes still doubled: each `""` is one quote (one `\"`), counted
 * in `doubledQuotes.pairs`.
 * Four bytes at a time while none of them needs escaping (a word test for bytes below 0x20, `"` and
 * backslash); a word that has one is stored up to it, and that byte alone goes through the table.
 *
 * @example const end = escapeJsonInto(Buffer.from('a"b'), 0, 3, out, 0); // out = "a\"b"
 */
export function escapeJsonInto(
  src: Uint8Array,
  from: number,
  to: number,
  dst: Uint8Array,
  pos: number,
  doubledQuotes?: { pairs: number },
): number {
  if (src !== views.src) {
    views.src = src;
    views.srcView = viewOf(src);
  }
  if (dst !== views.dst) {
    views.dst = dst;
    views.dstView = viewOf(dst);
  }
  const { srcView, dstView } = views;
  const words = to - 4;
  dst[pos++] = 0x22;
  let i = from;
  for (;;) {
    let flags = 0;
    while (i <= words) {
      const w = srcView.getUint32(i, true);
      const q = w ^ 0x22222222;
      const s = w ^ 0x5c5c5c5c;
      // A set high bit marks a byte below 0x20, or 0 after the xor (`"` or a backslash); bytes >= 0x80
      // never. Only bytes above a marked one can be marked falsely (a borrow), so the lowest is exact.
      flags = (((w - 0x20202020) & ~w) | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080;
      // Stored even when marked: the bytes before the marked one are clean, the rest is overwritten.
      dstView.setUint32(pos, w, true);
      if (flags !== 0) break;
      pos += 4;
      i += 4;
    }
    if (flags !== 0) {
      const clean = (31 - Math.clz32(flags & -flags)) >> 3;
      i += clean;
      pos += clean;
    } else if (i >= to) break;
    const b = src[i++]!;
    const e = ESCAPE[b]!;
    if (e === 0) {
      dst[pos++] = b;
      continue;
    }
    dst[pos++] = 0x5c;
    dst[pos++] = e;
    if (e === 0x75) {
      dst[pos++] = 0x30;
      dst[pos++] = 0x30;
      dst[pos++] = HEX.charCodeAt(b >> 4);
      dst[pos++] = HEX.charCodeAt(b & 15);
    } else if (doubledQuotes !== undefined && b === 0x22) {
      i++;
      doubledQuotes.pairs++;
    }
  }
  dst[pos++] = 0x22;
  return pos;
}

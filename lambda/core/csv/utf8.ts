/**
 * Streaming UTF-8 validation with the exact byte offset of the first bad byte: a file that is not UTF-8
 * is refused, never decoded with silent U+FFFD replacements.
 */
import { isUtf8 } from 'node:buffer';
import { InvalidEncodingError } from '../contract/errors';

/** The offset of the first byte that breaks UTF-8 in `bytes`, or -1; an incomplete tail counts as bad. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Bytes at the end of `bytes` that start a multi-byte sequence not yet complete (0..3). */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = 1; k <= Math.min(3, n); k++) {
    const b = bytes[n - k]!;
    if ((b & 0xc0) === 0x80) continue;
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return len > k ? k : 0;
  }
  return 0;
}

/**
 * Validates a byte stream chunk by chunk. Sequences split across chunks are checked as a whole; the
 * error names the offset from the start of the stream.
 *
 * @example
 * const check = new Utf8Validator();
 * check.push(chunk); // throws InvalidEncodingError on bad bytes
 * check.end();
 */
export class Utf8Validator {
  private offset = 0;
  private pending: Buffer = Buffer.alloc(0);

  /**
   * Counts `bytes` bytes the caller removed before validation (the byte-order mark), so offsets stay
   * offsets into the file as the person has it.
   */
  skip(bytes: number): void {
    this.offset += bytes;
  }

  /** Checks the next chunk (the caller passes the same bytes on to the parser unchanged). */
  push(chunk: Buffer): void {
    let start = 0;
    if (this.pending.length > 0) {
      const lead = this.pending[0]!;
      const len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
      const take = Math.min(len - this.pending.length, chunk.length);
      const seq = Buffer.concat([this.pending, chunk.subarray(0, take)]);
      if (seq.length < len) {
        this.pending = seq;
        this.offset += chunk.length;
        return;
      }
      if (!isUtf8(seq)) this.fail(seq, this.offset - this.pending.length);
      this.pending = Buffer.alloc(0);
      start = take;
    }
    const tail = incompleteTail(chunk.subarray(start));
    const body = chunk.subarray(start, chunk.length - tail);
    if (!isUtf8(body)) this.fail(body, this.offset + start);
    if (tail > 0) this.pending = Buffer.from(chunk.subarray(chunk.length - tail));
    this.offset += chunk.length;
  }

  /** Checks that the stream did not end inside a multi-byte sequence. */
  end(): void {
    if (this.pending.length > 0) this.fail(this.pending, this.offset - this.pending.length);
  }

  private fail(bytes: Uint8Array, base: number): never {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, '0');
    const probably = looksLikeUtf16(bytes.subarray(Math.max(0, at - 64), at + 64))
      ? 'UTF-16 without a byte-order mark'
      : 'Windows-1252 or Latin-1';
    throw new InvalidEncodingError(
      `The file is not valid UTF-8: byte 0x${byte} at byte offset ${base + at}. ` +
        `It is probably ${probably}; save it as "CSV UTF-8".`,
    );
  }
}

/**
 * True when at least a third of `bytes` are NUL, all at even or all at odd offsets: how UTF-16 looks
 * around a character above U+007F (each ASCII character is a NUL and its byte). A CSV in a one-byte
 * encoding has no NULs.
 */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const nuls = [0, 0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) nuls[i & 1]!++;
  return Math.max(nuls[0]!, nuls[1]!) * 3 >= bytes.length && Math.min(nuls[0]!, nuls[1]!) === 0;
}

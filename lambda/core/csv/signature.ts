/**
 * What the first bytes of a file say about it: binary formats named `.csv` and UTF-16/32 text are
 * refused before any parsing, with a reason a person can act on.
 */
import { InvalidEncodingError, NotCsvError } from '../contract/errors';

/** Bytes needed to recognise every signature below. */
export const SIGNATURE_BYTES = 8;

const BINARY: ReadonlyArray<{ magic: readonly number[]; kind: string }> = [
  { magic: [0x50, 0x4b, 0x03, 0x04], kind: 'a zip archive (xlsx, ods and docx files are zip archives)' },
  { magic: [0x50, 0x4b, 0x05, 0x06], kind: 'an empty zip archive' },
  { magic: [0x50, 0x4b, 0x07, 0x08], kind: 'a zip archive' },
  { magic: [0x1f, 0x8b], kind: 'a gzip file' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], kind: 'a legacy Office file (xls)' },
  { magic: [0x25, 0x50, 0x44, 0x46], kind: 'a PDF document' },
  { magic: [0x50, 0x41, 0x52, 0x31], kind: 'a Parquet file' },
  { magic: [0x42, 0x5a, 0x68], kind: 'a bzip2 file' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a], kind: 'an xz file' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], kind: 'a 7-zip archive' },
];

const WIDE_BOMS: ReadonlyArray<{ magic: readonly number[]; kind: string }> = [
  { magic: [0x00, 0x00, 0xfe, 0xff], kind: 'UTF-32 (big-endian)' },
  { magic: [0xff, 0xfe, 0x00, 0x00], kind: 'UTF-32 (little-endian)' },
  { magic: [0xfe, 0xff], kind: 'UTF-16 (big-endian)' },
  { magic: [0xff, 0xfe], kind: 'UTF-16 (little-endian)' },
];

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  if (head.length < magic.length) return false;
  return magic.every((byte, i) => head[i] === byte);
}

/**
 * Throws `NotCsvError` for a known binary signature and `InvalidEncodingError` for a UTF-16/32 byte-order
 * mark. `head` is the first {@link SIGNATURE_BYTES} bytes (fewer when the file is shorter).
 *
 * @example checkSignature(Buffer.from('PK\x03\x04')) // throws NotCsvError
 */
export function checkSignature(head: Uint8Array): void {
  for (const { magic, kind } of BINARY) {
    if (startsWith(head, magic)) {
      throw new NotCsvError(
        `The file is ${kind}, not a CSV text file. Export it as "CSV UTF-8" and upload that.`,
      );
    }
  }
  for (const { magic, kind } of WIDE_BOMS) {
    if (startsWith(head, magic)) {
      throw new InvalidEncodingError(
        `The file is encoded as ${kind} (byte-order mark at byte offset 0); save it as "CSV UTF-8".`,
      );
    }
  }
}

/** The length of a UTF-8 byte-order mark at the start of `head` (3 or 0). */
export function utf8BomLength(head: Uint8Array): number {
  return startsWith(head, UTF8_BOM) ? UTF8_BOM.length : 0;
}

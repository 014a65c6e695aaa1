/**
 * What a file's first bytes say it is, to confirm the extension: a workbook must be a zip (or, for a
 * clear error, an OLE compound file: `.xls`, or an encrypted `.xlsx`), a Parquet file starts with `PAR1`.
 */
import { open } from 'node:fs/promises';

/** The kinds the readers tell apart. */
export type Signature = 'zip' | 'ole' | 'parquet' | 'other';

const MAGIC: ReadonlyArray<{ bytes: readonly number[]; kind: Signature }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'zip' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], kind: 'zip' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: 'ole' },
  { bytes: [0x50, 0x41, 0x52, 0x31], kind: 'parquet' },
];

/**
 * The signature of `head` (a file's first 8 bytes or fewer).
 *
 * @example signatureOf(Buffer.from('PAR1....')) // 'parquet'
 */
export function signatureOf(head: Uint8Array): Signature {
  for (const { bytes, kind } of MAGIC) {
    if (head.length >= bytes.length && bytes.every((b, i) => head[i] === b)) return kind;
  }
  return 'other';
}

/** The signature of the file at `path`. */
export async function fileSignature(path: string): Promise<Signature> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    return signatureOf(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Whether an OLE compound file is an encrypted OOXML package (a password-protected `.xlsx`): its
 * directory names the `EncryptedPackage` stream (UTF-16LE). Scans the file in 1 MiB steps.
 */
export async function isEncryptedPackage(path: string): Promise<boolean> {
  const needle = Buffer.from('EncryptedPackage', 'utf16le');
  const handle = await open(path, 'r');
  try {
    const step = 1 << 20;
    const buffer = Buffer.alloc(step + needle.length);
    let carried = 0;
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, carried, step, position);
      if (bytesRead === 0) return false;
      const end = carried + bytesRead;
      if (buffer.subarray(0, end).includes(needle)) return true;
      carried = Math.min(needle.length, end);
      buffer.copy(buffer, 0, end - carried, end);
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

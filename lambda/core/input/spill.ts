/**
 * Formats whose readers need random access (a zip's central directory and a Parquet footer are at the
 * end) read a local file. In Lambda the S3 body is streamed to a temporary file under the system's temp
 * folder (`/tmp`, the function's ephemeral storage) first, and removed when reading ends.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ByteSource } from '../csv/reader';

/** A local copy of the input and how to remove it. */
export interface SpilledFile {
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * Writes `bytes` to a new temporary file (memory stays at one chunk).
 *
 * @example const file = await spillToFile(s3Body); try { read(file.path) } finally { await file.remove() }
 */
export async function spillToFile(bytes: ByteSource, directory: string = tmpdir()): Promise<SpilledFile> {
  const dir = await mkdtemp(join(directory, 'bedrock-batch-input-'));
  const path = join(dir, 'input');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(bytes, createWriteStream(path));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}

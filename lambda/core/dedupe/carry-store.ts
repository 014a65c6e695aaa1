/**
 * Where Collect keeps the outcome of each record that duplicate rows share, from the moment its own row
 * is written until its last duplicate is (possibly shards later). On disk in the function (`/tmp`):
 * appended in 256 KiB writes and read back by offset, so memory holds offsets only.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Stores byte strings and reads them back by reference. */
export interface CarryStore {
  put(bytes: Uint8Array): number;
  get(ref: number): Buffer;
  /** Frees everything. */
  dispose(): void;
}

/** A {@link CarryStore} in memory (tests, small runs). */
export class MemoryCarryStore implements CarryStore {
  private items: Buffer[] = [];
  put(bytes: Uint8Array): number {
    return this.items.push(Buffer.from(bytes)) - 1;
  }
  get(ref: number): Buffer {
    const item = this.items[ref];
    if (item === undefined) throw new RangeError(`No carried item ${ref}`);
    return item;
  }
  dispose(): void {
    this.items = [];
  }
}

const FLUSH_BYTES = 256 * 1024;

/** A {@link CarryStore} in one temporary file. */
export class FileCarryStore implements CarryStore {
  private readonly dir: string;
  private readonly fd: number;
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private chunk = Buffer.allocUnsafe(FLUSH_BYTES);
  private pending = 0;
  private written = 0;

  constructor(parent = tmpdir()) {
    this.dir = mkdtempSync(join(parent, 'carry-'));
    this.fd = openSync(join(this.dir, 'carried'), 'w+');
  }

  put(bytes: Uint8Array): number {
    if (this.pending + bytes.length > FLUSH_BYTES) this.flush();
    this.offsets.push(this.written + this.pending);
    this.lengths.push(bytes.length);
    if (bytes.length > FLUSH_BYTES) {
      writeSync(this.fd, bytes, 0, bytes.length, this.written);
      this.written += bytes.length;
    } else {
      this.chunk.set(bytes, this.pending);
      this.pending += bytes.length;
    }
    return this.offsets.length - 1;
  }

  get(ref: number): Buffer {
    const offset = this.offsets[ref];
    if (offset === undefined) throw new RangeError(`No carried item ${ref}`);
    const length = this.lengths[ref]!;
    if (offset >= this.written)
      return Buffer.from(this.chunk.subarray(offset - this.written, offset - this.written + length));
    const out = Buffer.allocUnsafe(length);
    readSync(this.fd, out, 0, length, offset);
    return out;
  }

  dispose(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(): void {
    if (this.pending === 0) return;
    writeSync(this.fd, this.chunk, 0, this.pending, this.written);
    this.written += this.pending;
    this.pending = 0;
  }
}

/**
 * Where Collect keeps the outcome of each record that duplicate rows share, from the moment its own row
 * is written until its last duplicate is (possibly shards later), when it is released. On disk in the
 * function (`/tmp`): one file of fixed-size slots, a released slot reused first, so the file never holds
 * more slots than records were kept at once (the bound Prepare checks: carry-bound.ts). Memory holds
 * slot numbers and lengths only.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Stores byte strings and reads them back by reference until released. */
export interface CarryStore {
  put(bytes: Uint8Array): number;
  get(ref: number): Buffer;
  /** Frees the space of `ref`, which is not read again. */
  release(ref: number): void;
  /** Frees everything. */
  dispose(): void;
}

/** A {@link CarryStore} in memory (tests, small runs). */
export class MemoryCarryStore implements CarryStore {
  private items: (Buffer | undefined)[] = [];
  put(bytes: Uint8Array): number {
    return this.items.push(Buffer.from(bytes)) - 1;
  }
  get(ref: number): Buffer {
    const item = this.items[ref];
    if (item === undefined) throw new RangeError(`No carried item ${ref}`);
    return item;
  }
  release(ref: number): void {
    this.items[ref] = undefined;
  }
  dispose(): void {
    this.items = [];
  }
}

/**
 * A {@link CarryStore} in one temporary file of `slotBytes`-byte slots (a multiple of the 4 KiB block, so
 * a slot never takes more disk than its size). An item longer than a slot takes as many fresh adjacent
 * slots as it needs; each is reused on its own once released.
 */
export class FileCarryStore implements CarryStore {
  private readonly dir: string;
  private readonly fd: number;
  /** First slot and length of each item by ref; -1 once released. */
  private readonly slots: number[] = [];
  private readonly lengths: number[] = [];
  private readonly free: number[] = [];
  private next = 0;

  constructor(
    private readonly slotBytes: number,
    parent = tmpdir(),
  ) {
    this.dir = mkdtempSync(join(parent, 'carry-'));
    this.fd = openSync(join(this.dir, 'carried'), 'w+');
  }

  /** Slots the file has ever used: at most the items held at once (plus the extra slots of long items). */
  get slotsUsed(): number {
    return this.next;
  }

  put(bytes: Uint8Array): number {
    const span = this.span(bytes.length);
    let slot: number;
    if (span === 1 && this.free.length > 0) slot = this.free.pop()!;
    else {
      slot = this.next;
      this.next += span;
    }
    writeSync(this.fd, bytes, 0, bytes.length, slot * this.slotBytes);
    this.slots.push(slot);
    this.lengths.push(bytes.length);
    return this.slots.length - 1;
  }

  get(ref: number): Buffer {
    const slot = this.slots[ref];
    if (slot === undefined || slot < 0) throw new RangeError(`No carried item ${ref}`);
    const length = this.lengths[ref]!;
    const out = Buffer.allocUnsafe(length);
    readSync(this.fd, out, 0, length, slot * this.slotBytes);
    return out;
  }

  release(ref: number): void {
    const slot = this.slots[ref];
    if (slot === undefined || slot < 0) return;
    const span = this.span(this.lengths[ref]!);
    for (let i = span - 1; i >= 0; i--) this.free.push(slot + i);
    this.slots[ref] = -1;
  }

  dispose(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Slots an item of `length` bytes takes (at least one). */
  private span(length: number): number {
    return Math.max(1, Math.ceil(length / this.slotBytes));
  }
}

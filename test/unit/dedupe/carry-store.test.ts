/** The file carry store: slots reused once released, so the file holds no more than the items held at once. */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCarryStore } from '../../../lambda/core/dedupe/carry-store';

const SLOT = 4096;
let parent: string | undefined;
afterEach(() => {
  if (parent !== undefined) rmSync(parent, { recursive: true, force: true });
  parent = undefined;
});

function store(): { carry: FileCarryStore; file: () => string } {
  parent = mkdtempSync(join(tmpdir(), 'carry-test-'));
  const carry = new FileCarryStore(SLOT, parent);
  const dir = parent;
  return { carry, file: () => join(dir, readdirSync(dir)[0]!, 'carried') };
}

const bytes = (fill: number, length: number) => Buffer.alloc(length, fill);

describe('FileCarryStore', () => {
  it('reads back what was put, and reuses a released slot before growing the file', () => {
    const { carry, file } = store();
    const a = carry.put(bytes(1, 100));
    const b = carry.put(bytes(2, SLOT));
    expect(carry.get(a)).toEqual(bytes(1, 100));
    expect(carry.get(b)).toEqual(bytes(2, SLOT));
    carry.release(a);
    expect(() => carry.get(a)).toThrow(RangeError);
    const c = carry.put(bytes(3, 50));
    expect(carry.slotsUsed).toBe(2);
    expect(carry.get(c)).toEqual(bytes(3, 50));
    expect(carry.get(b)).toEqual(bytes(2, SLOT));
    expect(statSync(file()).size).toBe(2 * SLOT);
    carry.dispose();
  });

  it('never uses more slots than items held at once (1,000 items, 3 held at a time)', () => {
    const { carry, file } = store();
    const held: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      held.push(carry.put(bytes(i % 251, 1 + ((i * 97) % SLOT))));
      if (held.length === 3) carry.release(held.shift()!);
    }
    expect(carry.slotsUsed).toBe(3);
    expect(statSync(file()).size).toBeLessThanOrEqual(3 * SLOT);
    expect(carry.get(held[1]!)).toEqual(bytes(999 % 251, 1 + ((999 * 97) % SLOT)));
    carry.dispose();
  });

  it('gives an item longer than a slot fresh adjacent slots, each reused once released', () => {
    const { carry } = store();
    const long = carry.put(bytes(7, 2 * SLOT + 1));
    const short = carry.put(bytes(8, 10));
    expect(carry.slotsUsed).toBe(4);
    expect(carry.get(long)).toEqual(bytes(7, 2 * SLOT + 1));
    carry.release(long);
    for (let i = 0; i < 3; i++) carry.put(bytes(9, SLOT));
    expect(carry.slotsUsed).toBe(4);
    expect(carry.get(short)).toEqual(bytes(8, 10));
    carry.dispose();
  });

  it('removes its file at dispose', () => {
    const { carry, file } = store();
    carry.put(bytes(1, 10));
    const path = file();
    carry.dispose();
    expect(existsSync(path)).toBe(false);
  });
});

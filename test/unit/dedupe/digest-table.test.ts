import { describe, expect, it } from 'vitest';
import { bodyDigest, DIGEST_BYTES, DigestTable } from '../../../lambda/core/dedupe/digest-table';

describe('DigestTable', () => {
  it('returns the first ordinal for a digest seen before, and -1 for a new one', () => {
    const table = new DigestTable();
    const a = bodyDigest(Buffer.from('{"messages":[{"content":"hi"}]}'));
    const b = bodyDigest(Buffer.from('{"messages":[{"content":"hi!"}]}'));
    expect(a.length).toBe(DIGEST_BYTES);
    expect(table.claim(a, 0)).toBe(-1);
    expect(table.claim(b, 1)).toBe(-1);
    expect(table.claim(a, 2)).toBe(0);
    expect(table.claim(b, 3)).toBe(1);
    expect(table.size).toBe(2);
  });

  it('keeps every entry across growth (100,000 distinct bodies, each seen twice)', () => {
    const table = new DigestTable();
    const n = 100_000;
    for (let i = 0; i < n; i++) expect(table.claim(bodyDigest(Buffer.from(`body ${i}`)), i)).toBe(-1);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (table.claim(bodyDigest(Buffer.from(`body ${i}`)), n + i) !== i) wrong++;
    expect(wrong).toBe(0);
    expect(table.size).toBe(n);
    // 20 bytes a slot, at most 4/3 × 2 slots per entry after doubling.
    expect(table.bytes).toBeLessThanOrEqual(Math.ceil((n * 8) / 3) * 20);
  });

  it('compares the whole digest, not only the bits that pick the slot', () => {
    const table = new DigestTable();
    const first = '\0'.repeat(DIGEST_BYTES);
    const second = `${'\0'.repeat(DIGEST_BYTES - 1)}\u0001`;
    expect(table.claim(first, 0)).toBe(-1);
    expect(table.claim(second, 1)).toBe(-1);
    expect(table.claim(second, 2)).toBe(1);
  });
});

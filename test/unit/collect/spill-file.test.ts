import { describe, expect, it } from 'vitest';
import { FileSpillStore } from '../../../lambda/collect-results/spill-file';

describe('FileSpillStore', () => {
  it('returns every item by reference, across buckets, flushes and multi-byte text, and forgets on clear', async () => {
    const store = await FileSpillStore.create();
    try {
      const items = Array.from({ length: 3000 }, (_, i) => `${i}:${'é日'.repeat(i % 500)}\n{"x":${i}}`);
      items[1234] = `larger than a flush:${'é日'.repeat(50_000)}`;
      const text = async (ref: number) => (await store.get(ref)).toString('utf8');
      const refs: number[] = [];
      for (const [i, item] of items.entries()) refs.push(await store.put(i % 7, item));
      for (let i = 0; i < items.length; i += 1) expect(await text(refs[i]!)).toBe(items[i]);
      for (const i of [2999, 0, 1500, 7, 2998, 1234]) expect(await text(refs[i]!)).toBe(items[i]);
      const late = await store.put(3, 'added after a read');
      expect(await text(late)).toBe('added after a read');
      expect(await text(refs[3]!)).toBe(items[3]);
      await store.clear();
      await expect(store.get(refs[5]!)).rejects.toThrow(RangeError);
      const again = await store.put(0, 'after clear');
      expect(await text(again)).toBe('after clear');
    } finally {
      await store.dispose();
    }
  });
});

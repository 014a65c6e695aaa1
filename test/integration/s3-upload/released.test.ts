/**
 * `openUpload(...).released()` against the embedded S3: a caller that reuses its Buffers as soon as
 * `released()` resolves, as Prepare's encoder reuses its arenas, must still upload exactly what it wrote.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openObject, openUpload } from '../../../lambda/io/s3';
import { startTestS3, type TestS3 } from '../../helpers/s3';
import { settledNow } from '../../helpers/settled';

const PART = 5 * 1024 * 1024;
const CHUNK = 768 * 1024;

let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3();
  await s3.createBuckets('work');
});

afterAll(async () => {
  await s3?.close();
});

/** Chunk `n`'s bytes: distinct per chunk, so a Buffer overwritten before it was sent shows. */
function fill(target: Buffer, n: number): void {
  for (let i = 0; i < target.length; i++) target[i] = 0x41 + ((n * 7 + i) % 26);
}

async function objectDigest(key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of (await openObject(s3.client, 'work', key))!) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('S3 upload: released()', () => {
  it('lets the caller reuse a written Buffer once released() resolves, and the object is what was written', async () => {
    const sink = openUpload(s3.client, 'work', 'reused.bin', 'application/octet-stream');
    const expected = createHash('sha256');
    // As the encoder does: a Buffer goes back to the pool when released() resolves, and is overwritten
    // by a later chunk; until then a fresh one is allocated.
    const free: Buffer[] = [];
    const seen = new Set<Buffer>();
    let reused = 0;
    const chunks = Math.ceil((4 * PART) / CHUNK);
    for (let n = 0; n < chunks; n++) {
      await new Promise((resolve) => setImmediate(resolve));
      const buffer = free.pop() ?? Buffer.alloc(CHUNK);
      if (seen.has(buffer)) reused++;
      seen.add(buffer);
      fill(buffer, n);
      expected.update(buffer);
      await sink.write(buffer);
      sink.released().then(() => free.push(buffer));
    }
    await sink.close();
    expect(await objectDigest('reused.bin')).toBe(expected.digest('hex'));
    expect(reused).toBeGreaterThan(0);
    expect(seen.size).toBeLessThan(chunks);
  });

  it('splits a write larger than a part, and releases it once the upload has copied it', async () => {
    const sink = openUpload(s3.client, 'work', 'large.bin', 'application/octet-stream');
    const large = Buffer.alloc(PART * 2 + 4321);
    fill(large, 1);
    const more = Buffer.alloc(PART + 10);
    fill(more, 2);
    const want = createHash('sha256').update(large).update(more).digest('hex');
    await sink.write(large);
    const released = sink.released();
    expect(await settledNow([released])).toEqual([false]);
    await sink.write(more);
    await released;
    large.fill(0);
    await sink.close();
    expect(await objectDigest('large.bin')).toBe(want);
  });

  it("keeps a small object unreleased until it is uploaded (PutObject sends the caller's bytes as they are)", async () => {
    const sink = openUpload(s3.client, 'work', 'small.bin', 'application/octet-stream');
    await sink.write(Buffer.alloc(1000, 0x61));
    const released = sink.released();
    expect(await settledNow([released])).toEqual([false]);
    await sink.close();
    expect(await settledNow([released])).toEqual([true]);
  });
});

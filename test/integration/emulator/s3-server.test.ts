import { existsSync } from 'node:fs';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startS3Server } from '../../../local/s3-server';

describe('the embedded S3', () => {
  it('serves the given buckets, accepts any credentials, pages listings, and cleans up on close', async () => {
    const server = await startS3Server({ buckets: ['first-bucket', 'second-bucket'] });
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const s3 = server.client();
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((bucket) => bucket.Name).sort()).toEqual(['first-bucket', 'second-bucket']);

    const stranger = new S3Client({
      endpoint: server.endpoint,
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'whatever' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await stranger.send(new CreateBucketCommand({ Bucket: 'made-by-client' }));
    for (let index = 0; index < 7; index++) {
      await stranger.send(
        new PutObjectCommand({ Bucket: 'made-by-client', Key: `p/${index}.txt`, Body: `body ${index}` }),
      );
    }
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 3 },
      { Bucket: 'made-by-client', Prefix: 'p/' },
    )) {
      pages++;
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    }
    expect(pages).toBe(3);
    expect(keys).toEqual(Array.from({ length: 7 }, (_, index) => `p/${index}.txt`));
    const object = await s3.send(new GetObjectCommand({ Bucket: 'made-by-client', Key: 'p/6.txt' }));
    expect(await object.Body?.transformToString()).toBe('body 6');

    stranger.destroy();
    s3.destroy();
    await server.close();
    expect(existsSync(server.directory)).toBe(false);
  });
});

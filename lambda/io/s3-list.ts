/** Listing keys under a prefix, every page. */
import type { Readable } from 'node:stream';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { isRecordOutputKey } from '../core/contract/layout';
import { openObject } from './s3';

/**
 * Every key under `prefix`, in S3's (lexicographic) order, following continuation tokens.
 *
 * @example
 * for await (const key of listKeys(s3, 'work', 'runs/abc/batch-output/k3x9q2m7w1ab/')) console.log(key);
 */
export async function* listKeys(
  s3: S3Client,
  bucket: string,
  prefix: string,
  pageSize?: number,
): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
        MaxKeys: pageSize,
      }),
    );
    for (const item of page.Contents ?? []) if (item.Key !== undefined) yield item.Key;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/**
 * The bodies of every `*.jsonl.out` a Bedrock job wrote under `prefix` (its `manifest.json.out` and
 * anything else skipped), one after the other.
 */
export async function* openJobOutputs(
  s3: S3Client,
  bucket: string,
  prefix: string,
): AsyncGenerator<Readable> {
  for await (const key of listKeys(s3, bucket, prefix)) {
    if (!isRecordOutputKey(key)) continue;
    const body = await openObject(s3, bucket, key);
    if (body !== undefined) yield body;
  }
}

/**
 * S3 at the edge: streaming reads, streaming multipart writes, small JSON objects, tags.
 * Every helper takes its `S3Client`, so handlers, the CLI and tests choose the endpoint.
 */
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  NoSuchKey,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ReleasedBytes } from './released-bytes';

/** An object's body as a Node stream, or `undefined` when the object (or version) does not exist. */
export async function openObject(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<Readable | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    return out.Body as Readable;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** An object's bytes as a stream of chunks; nothing at all when the object does not exist. */
export async function* readObjectOrNothing(
  s3: S3Client,
  bucket: string,
  key: string,
): AsyncGenerator<Buffer> {
  const body = await openObject(s3, bucket, key);
  if (body !== undefined) yield* body as AsyncIterable<Buffer>;
}

/** A small JSON object, or `undefined` when it does not exist. */
export async function getJson<T>(s3: S3Client, bucket: string, key: string): Promise<T | undefined> {
  const body = await openObject(s3, bucket, key);
  if (body === undefined) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

/** Writes a small JSON document. */
export async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(value, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
}

/** A writable sink that streams into one S3 object by multipart upload. */
export interface S3Sink {
  /** Write bytes; resolves when the stream accepts more (back-pressure). */
  write(chunk: string | Buffer): Promise<void>;
  /**
   * Resolves once no Buffer written so far is still needed by the upload, so the caller may overwrite
   * it: lib-storage has copied it into a part (or the upload has ended).
   */
  released(): Promise<void>;
  /** Finish the upload; resolves when the object exists. */
  close(): Promise<void>;
  /** Abort the upload (no parts are left behind). */
  abort(): Promise<void>;
}

/** Bytes per part of every upload (S3's minimum). */
const PART_SIZE = 5 * 1024 * 1024;

/**
 * Opens a streaming multipart upload. Memory is bounded by `partSize * queueSize` (5 MiB * 2 by default).
 *
 * Written Buffers are not copied here: lib-storage gathers the body's chunks and concatenates them into
 * each part once more than a part's bytes are waiting (`getChunkStream`), a copy, so no chunk of at most
 * a part is sent from the caller's memory. Parts are cut in order, so once part N's progress event
 * fires (it has been sent) the first N parts' bytes are copies, and `released()` can say when a caller's
 * Buffer is free. Larger writes are split into part-sized pieces to keep that true. The one exception, an object
 * written in a single chunk of at most a part (sent as is by PutObject), is released when it ends.
 * test/integration/s3-upload/released.test.ts fails if a lib-storage upgrade stops copying.
 *
 * @example
 * const sink = openUpload(s3, 'bucket', 'runs/x/batch-input/shard-0001.jsonl', 'application/jsonl');
 * await sink.write('{"recordId":"1"}\n');
 * await sink.close();
 */
export function openUpload(s3: S3Client, bucket: string, key: string, contentType: string): S3Sink {
  const body = new PassThrough({ highWaterMark: 1 << 20 });
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
    queueSize: 2,
    partSize: PART_SIZE,
    leavePartsOnError: false,
  });
  const copied = new ReleasedBytes();
  upload.on('httpUploadProgress', ({ part }) => {
    if (part !== undefined) copied.release(part * PART_SIZE);
  });
  const done = upload.done();
  done.catch(() => undefined);
  done.finally(() => copied.end()).catch(() => undefined);
  let written = 0;
  return {
    async write(chunk) {
      if (typeof chunk === 'string') {
        written += Buffer.byteLength(chunk);
        await push(body, chunk);
      } else {
        written += chunk.length;
        for (let at = 0; at < chunk.length; at += PART_SIZE)
          await push(body, chunk.subarray(at, at + PART_SIZE));
      }
    },
    released: () => copied.after(written),
    async close() {
      body.end();
      await done;
    },
    async abort() {
      try {
        await upload.abort();
        body.destroy();
      } finally {
        copied.end();
      }
    },
  };
}

/** Writes to `body`, waiting for 'drain' when its buffer is full (rejects if the stream errors meanwhile). */
async function push(body: PassThrough, chunk: string | Buffer): Promise<void> {
  if (!body.write(chunk)) await once(body, 'drain');
}

/**
 * Sets tags on the analyst's object (its exact version when known). Tags are metadata: the object's
 * bytes are never modified.
 */
export async function tagObject(
  s3: S3Client,
  bucket: string,
  key: string,
  tags: Record<string, string>,
  versionId?: string,
): Promise<void> {
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: bucket,
      Key: key,
      VersionId: versionId,
      Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
    }),
  );
}

/** S3 allows at most 10 tags on an object. */
const MAX_OBJECT_TAGS = 10;

/**
 * Adds tags to an object's version while keeping the tags it already has (PutObjectTagging replaces the
 * whole set). When the object's own tags leave no room, nothing is changed: the analyst's tags win.
 *
 * @returns `tagged`, or `no-room` when the object has too many tags of its own.
 */
export async function addObjectTags(
  s3: S3Client,
  object: { readonly bucket: string; readonly key: string; readonly versionId?: string },
  tags: Record<string, string>,
): Promise<'tagged' | 'no-room'> {
  const current = await s3.send(
    new GetObjectTaggingCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.versionId }),
  );
  const kept = (current.TagSet ?? []).filter((t) => t.Key !== undefined && !(t.Key in tags));
  if (kept.length + Object.keys(tags).length > MAX_OBJECT_TAGS) return 'no-room';
  const merged: Record<string, string> = { ...tags };
  for (const t of kept) merged[t.Key as string] = t.Value ?? '';
  await tagObject(s3, object.bucket, object.key, merged, object.versionId);
  return 'tagged';
}

/** True for S3's "no such key / version" answers. */
export function isNotFound(error: unknown): boolean {
  if (error instanceof NoSuchKey) return true;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchVersion' ||
    e?.$metadata?.httpStatusCode === 404
  );
}

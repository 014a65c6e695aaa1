/**
 * Test-matrix row 41: S3 answers 503 while a shard streams up. A fault-injecting proxy on loopback sits
 * between the unmodified SDK and a real S3 server: a passing 503 is retried by the SDK and the object
 * arrives byte-exact; a lasting one fails the upload, which is aborted so no parts are left behind.
 */
import { createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openObject, openUpload } from '../../../lambda/io/s3';
import { startTestS3, type TestS3 } from '../../helpers/s3';

interface FaultProxy {
  readonly endpoint: string;
  /** Part uploads still to be answered 503. */
  failParts: number;
  /** Requests seen, as `METHOD path?query`. */
  readonly seen: string[];
  close(): Promise<void>;
}

async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const proxy: FaultProxy = { endpoint: '', failParts: 0, seen: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    proxy.seen.push(`${req.method} ${req.url}`);
    if (req.method === 'PUT' && req.url?.includes('partNumber=') && proxy.failParts > 0) {
      proxy.failParts--;
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      });
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

const PART = 5 * 1024 * 1024;
const body = Buffer.alloc(PART * 2 + 1234, 'a');
for (let i = 0; i < body.length; i += 997) body[i] = 48 + (i % 10);

let s3: TestS3;
let proxy: FaultProxy;
let client: S3Client;

beforeAll(async () => {
  s3 = await startTestS3();
  await s3.createBuckets('work');
  proxy = await startFaultProxy(s3.endpoint);
  client = new S3Client({
    endpoint: proxy.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    retryMode: 'standard',
  });
});

afterAll(async () => {
  await proxy?.close();
  await s3?.close();
});

async function upload(key: string): Promise<void> {
  const sink = openUpload(client, 'work', key, 'application/jsonl');
  for (let i = 0; i < body.length; i += 64 * 1024) await sink.write(body.subarray(i, i + 64 * 1024));
  await sink.close();
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('streaming upload under S3 faults (matrix 41)', () => {
  it('retries a passing 503 on a part and stores the object byte-exact', async () => {
    proxy.failParts = 1;
    await upload('runs/r/batch-input/shard-0001.jsonl');
    expect(proxy.failParts).toBe(0);
    const stored = await openObject(s3.client, 'work', 'runs/r/batch-input/shard-0001.jsonl');
    const chunks: Buffer[] = [];
    for await (const chunk of stored!) chunks.push(chunk as Buffer);
    expect(sha(Buffer.concat(chunks))).toBe(sha(body));
  });

  it('aborts the multipart upload when S3 keeps failing, leaving no object', async () => {
    proxy.failParts = 1_000;
    proxy.seen.length = 0;
    await expect(upload('runs/r/batch-input/shard-0002.jsonl')).rejects.toThrow();
    proxy.failParts = 0;
    expect(proxy.seen.some((line) => line.startsWith('DELETE ') && line.includes('uploadId='))).toBe(true);
    await expect(
      s3.client.send(new HeadObjectCommand({ Bucket: 'work', Key: 'runs/r/batch-input/shard-0002.jsonl' })),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });
});

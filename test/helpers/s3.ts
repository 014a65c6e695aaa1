/**
 * A real S3 server for tests: s3rver in a child process on 127.0.0.1 (port chosen by the OS), with the
 * OpenSSL legacy provider that its paged ListObjectsV2 needs, and an S3 client configured for it. The
 * child exits when the test process goes away (its stdin closes), so no server outlives a run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

/** A running test S3 server. */
export interface TestS3 {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A client pointed at the server (path style, checksums only when required, dummy credentials). */
  readonly client: S3Client;
  /** Creates buckets. */
  createBuckets(...names: string[]): Promise<void>;
  /**
   * The environment variables that point a handler's `new S3Client({})` at this server;
   * pass them to {@link withEnv} or assign them to `process.env`.
   */
  readonly env: Record<string, string>;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
}

const SERVER_SCRIPT = `
const S3rver = require(process.argv[2]);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[1] });
server.run().then((address) => process.stdout.write('PORT ' + address.port + '\\n'));
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/**
 * Starts s3rver on a free loopback port.
 *
 * @example
 * const s3 = await startTestS3();
 * await s3.createBuckets('work');
 * // ... use s3.client ...
 * await s3.close();
 */
export async function startTestS3(): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const s3rver = createRequire(import.meta.url).resolve('s3rver');
  const child = spawn(process.execPath, ['-e', SERVER_SCRIPT, directory, s3rver], {
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await readPort(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    },
    async createBuckets(...names) {
      for (const name of names) await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = /PORT (\d+)/.exec(buffered);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`s3rver exited before listening (code ${code})`)));
  });
}

/** Sets environment variables for the duration of `fn`, then restores them. */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * A real S3 server for tests: the product's embedded S3 (local/s3-server.ts, s3rver on 127.0.0.1, port
 * chosen by the OS), a client configured for it, and the variables that point a handler's plain
 * `new S3Client({})` at it.
 */
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { resetClients } from '../../lambda/io/clients';
import { startS3Server } from '../../local/s3-server';

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

/**
 * Starts the embedded S3 on a free loopback port.
 *
 * @example
 * const s3 = await startTestS3();
 * await s3.createBuckets('work');
 * // ... use s3.client ...
 * await s3.close();
 */
export async function startTestS3(): Promise<TestS3> {
  const server = await startS3Server();
  const client = server.client();
  return {
    endpoint: server.endpoint,
    client,
    env: { ...server.env },
    async createBuckets(...names) {
      for (const name of names) await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async close() {
      client.destroy();
      await server.close();
    },
  };
}

/** Sets environment variables for the duration of `fn`, then restores them. */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  resetClients();
  try {
    return await fn();
  } finally {
    resetClients();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

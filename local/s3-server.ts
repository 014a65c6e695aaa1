/**
 * The embedded S3: s3rver on loopback with the given buckets, its files in a temporary directory that
 * is removed on close. Any access key is accepted (s3rver itself knows only `S3RVER`), and paged
 * ListObjectsV2 works without `--openssl-legacy-provider` (see docs/emulator.md).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createCipheriv } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

interface KoaContext {
  method: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface ListResult {
  objects: { key: string }[];
  commonPrefixes: string[];
  isTruncated: boolean;
}
interface S3rverInstance {
  middleware: Middleware[];
  store: { listObjects(bucket: string, options: unknown): Promise<ListResult> };
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** The credentials s3rver's only account uses; the server accepts any key anyway. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Options of {@link startS3Server}. */
interface S3ServerOptions {
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Buckets that exist from the start. @default - none (clients create their own) */
  readonly buckets?: readonly string[];
}

/** A running embedded S3. */
export interface S3Server {
  /** `http://127.0.0.1:<port>`: use it as `AWS_ENDPOINT_URL_S3`, with path-style addressing. */
  readonly endpoint: string;
  readonly port: number;
  /** The temporary directory holding the objects (removed by `close`). */
  readonly directory: string;
  /** A client for this server: path style, checksums only when required, dummy credentials. */
  client(config?: S3ClientConfig): S3Client;
  /** The SDK's own variables that point a plain `new S3Client({})` at this server, with the same settings. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** True when this process can use DES (s3rver's own continuation tokens need the OpenSSL legacy provider). */
function desAvailable(): boolean {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}

const anyAccessKey: Middleware = (ctx, next) => {
  const authorization = ctx.headers.authorization;
  if (typeof authorization === 'string') {
    ctx.headers.authorization = authorization.replace(/Credential=[^/,\s]+\//, 'Credential=S3RVER/');
  }
  const credential = ctx.query['X-Amz-Credential'];
  if (typeof credential === 'string') {
    ctx.query = { ...ctx.query, 'X-Amz-Credential': credential.replace(/^[^/]+\//, 'S3RVER/') };
  }
  return next();
};

const TOKEN_PREFIX = 'bbp1.';

/**
 * Replaces s3rver's DES continuation tokens by plain ones: an incoming token becomes `start-after`,
 * and a truncated listing gets a token naming its last key.
 */
function pagedListing(server: S3rverInstance): Middleware {
  const truncation = new AsyncLocalStorage<{ lastKey?: string }>();
  const list = server.store.listObjects.bind(server.store);
  server.store.listObjects = async (bucket, options) => {
    const result = await list(bucket, options);
    const state = truncation.getStore();
    if (state === undefined || !result.isTruncated) return result;
    const keys = [...result.objects.map((object) => object.key), ...result.commonPrefixes].sort();
    state.lastKey = keys[keys.length - 1];
    return { ...result, isTruncated: false };
  };
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.query['list-type'] !== '2') return next();
    const token = ctx.query['continuation-token'];
    if (typeof token === 'string' && token.startsWith(TOKEN_PREFIX)) {
      const { 'continuation-token': _, ...rest } = ctx.query;
      ctx.query = {
        ...rest,
        'start-after': Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString(),
      };
    }
    const state: { lastKey?: string } = {};
    await truncation.run(state, next);
    const result = (ctx.body as { ListBucketResult?: Record<string, unknown> } | undefined)?.ListBucketResult;
    if (state.lastKey !== undefined && result !== undefined) {
      result.IsTruncated = true;
      result.NextContinuationToken = TOKEN_PREFIX + Buffer.from(state.lastKey).toString('base64url');
      if (typeof token === 'string') {
        result.ContinuationToken = token;
        delete result.StartAfter;
      }
    }
  };
}

/**
 * Starts s3rver on loopback.
 *
 * @example const s3 = await startS3Server({ buckets: ['input'] }); await s3.client().send(...); await s3.close();
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'bedrock-batch-s3-'));
  const server = new S3rver({
    address: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    resetOnClose: false,
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const router = server.middleware.length - 1;
  server.middleware.splice(router, 0, anyAccessKey, ...(desAvailable() ? [] : [pagedListing(server)]));
  let address: { address: string; port: number };
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://${address.address}:${address.port}`;
  return {
    endpoint,
    port: address.port,
    directory,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    },
    client: (config = {}) =>
      new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: S3RVER_CREDENTIALS,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...config,
      }),
    async close() {
      try {
        await server.close();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

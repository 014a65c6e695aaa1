/**
 * The AWS SDK clients, made once per container: each is created at its first use (so it reads the
 * environment as it is then: the local runner's workers and the tests set `AWS_ENDPOINT_URL_*` before
 * the first invocation) and traced with the Powertools tracer when the stack turns SDK tracing on
 * (`traced` in telemetry.ts). Endpoints, Region and credentials come only from the SDK's own environment
 * variables. Tests replace a client with {@link setClient}, or drop them all with {@link resetClients}
 * when they point the SDK elsewhere.
 */
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { traced } from './telemetry';

/** The clients by name: one per container, except Bedrock, one per retry budget. */
const cache = new Map<string, unknown>();

function once<T>(name: string, make: () => T): T {
  let client = cache.get(name) as T | undefined;
  if (client === undefined) {
    client = traced(make());
    cache.set(name, client);
  }
  return client;
}

/** The S3 client. */
export function s3Client(): S3Client {
  return once('s3', () => new S3Client({}));
}

/** The Step Functions client. */
export function sfnClient(): SFNClient {
  return once('sfn', () => new SFNClient({}));
}

/** The Bedrock control-plane client with `maxAttempts` (Check and Submit job take 3, Stop jobs 5). */
export function bedrockClient(maxAttempts: number): BedrockClient {
  return once(`bedrock:${maxAttempts}`, () => new BedrockClient({ maxAttempts }));
}

/** The Bedrock runtime client: one attempt, since the on-demand runner does its own back-off. */
export function runtimeClient(): BedrockRuntimeClient {
  return once('runtime', () => new BedrockRuntimeClient({ maxAttempts: 1 }));
}

/**
 * Replaces one client (tests): `name` is `s3`, `sfn`, `runtime` or `bedrock:<maxAttempts>`.
 *
 * @example setClient('s3', new S3Client({ endpoint }))
 */
export function setClient(name: string, client: unknown): void {
  cache.set(name, client);
}

/** Forgets every client, so the next use reads the environment again (tests that change endpoints). */
export function resetClients(): void {
  cache.clear();
}

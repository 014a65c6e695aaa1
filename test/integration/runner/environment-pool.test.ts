import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HandlerName } from '../../../lib/handler-names';
import type { FunctionAsset } from '../../../local/runner/assembly';
import { EnvironmentPool } from '../../../local/runner/environment-pool';
import { LambdaRuntime } from '../../../local/runner/lambda-runtime';
import { functionAsset } from '../../helpers/function-asset';

/** Counts its invocations at module scope, and writes to and lists its `/tmp`. */
const BUNDLE = `
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
let invocations = 0;
export async function handler(event) {
  invocations += 1;
  const before = readdirSync(tmpdir());
  writeFileSync(join(tmpdir(), 'left-behind.txt'), 'x');
  return { invocations, before, endpoint: process.env.AWS_ENDPOINT_URL_S3 };
}
`;

const root = await mkdtemp(join(tmpdir(), 'environment-pool-test-'));
const pool = new EnvironmentPool();
afterAll(async () => {
  await pool.close();
  await rm(root, { recursive: true, force: true });
});

const fn = await functionAsset(join(root, 'asset'), { 'index.mjs': BUNDLE });

interface Reply {
  readonly invocations: number;
  readonly before: string[];
  readonly endpoint: string;
}

/** One runtime over the pool with `endpoint` as its only variable: invokes once and closes. */
async function invokeOnce(endpoint: string): Promise<Reply> {
  const runtime = new LambdaRuntime({
    functions: { [fn.handlerName]: fn } as Record<HandlerName, FunctionAsset>,
    environment: () => ({ AWS_ENDPOINT_URL_S3: endpoint }),
    region: 'us-east-1',
    pool,
  });
  try {
    return (await runtime.invoke('check-job', {})) as Reply;
  } finally {
    await runtime.close();
  }
}

describe('warm environments kept between runtimes', () => {
  it('gives a later runtime the warm environment of the same function and variables, its /tmp emptied', async () => {
    const first = await invokeOnce('http://127.0.0.1:1001');
    const second = await invokeOnce('http://127.0.0.1:1001');

    expect(first).toEqual({ invocations: 1, before: [], endpoint: 'http://127.0.0.1:1001' });
    // The same worker (its module-scope counter went on), with nothing left in /tmp by the first runtime.
    expect(second).toEqual({ invocations: 2, before: [], endpoint: 'http://127.0.0.1:1001' });
  });

  it('starts a new environment when a variable differs', async () => {
    const other = await invokeOnce('http://127.0.0.1:1002');

    expect(other).toEqual({ invocations: 1, before: [], endpoint: 'http://127.0.0.1:1002' });
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HandlerName } from '../../../lib/handler-names';
import type { FunctionAsset } from '../../../local/runner/assembly';
import { FunctionLoadError, LambdaInvocationError } from '../../../local/runner/lambda-errors';
import { LambdaRuntime } from '../../../local/runner/lambda-runtime';
import { functionAsset } from '../../helpers/function-asset';

/** Asset folders with small hand-written bundles, standing in for the synthesized ones. */
const root = await mkdtemp(join(tmpdir(), 'lambda-runtime-test-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const BUNDLE = `
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
let invocations = 0;
class JobCapacityError extends Error { constructor(m) { super(m); this.name = 'JobCapacityError'; } }
export async function handler(event, context) {
  invocations += 1;
  switch (event.action) {
    case 'echo': return { event, invocations, remaining: context.getRemainingTimeInMillis() > 0 };
    case 'env': return { custom: process.env.CUSTOM, tmp: tmpdir(), root: process.env.LAMBDA_TASK_ROOT, pipelines: process.env.PIPELINES_DIR };
    case 'throw': throw new JobCapacityError('quota full');
    case 'hang': await new Promise(() => setInterval(() => {}, 1000));
    case 'fill': writeFileSync(join(tmpdir(), 'spill.bin'), Buffer.alloc(event.bytes)); return { written: event.bytes };
  }
}
`;

let counter = 0;
function asset(
  files: Record<string, string>,
  overrides: Partial<FunctionAsset> = {},
): Promise<FunctionAsset> {
  counter += 1;
  return functionAsset(join(root, `asset.${counter}`), files, overrides);
}

const runtimes: LambdaRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
});

function runtimeFor(fn: FunctionAsset, variables: Record<string, string> = {}): LambdaRuntime {
  const runtime = new LambdaRuntime({
    functions: { [fn.handlerName]: fn } as Record<HandlerName, FunctionAsset>,
    environment: () => variables,
    region: 'us-east-1',
  });
  runtimes.push(runtime);
  return runtime;
}

async function invocationError(promise: Promise<unknown>): Promise<LambdaInvocationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LambdaInvocationError);
  return error as LambdaInvocationError;
}

describe('the local Lambda runtime', () => {
  it('loads the module and export the Handler names and reuses a warm environment', async () => {
    const fn = await asset({ 'index.mjs': BUNDLE });
    const runtime = runtimeFor(fn);
    expect(await runtime.invoke('check-job', { action: 'echo', n: 1 })).toEqual({
      event: { action: 'echo', n: 1 },
      invocations: 1,
      remaining: true,
    });
    expect(await runtime.invoke('check-job', { action: 'echo' })).toMatchObject({ invocations: 2 });
  });

  it('gives the function its variables, its own /tmp, and /var/task mapped to the asset folder', async () => {
    const fn = await asset({ 'index.mjs': BUNDLE });
    const runtime = runtimeFor(fn, { CUSTOM: 'from-template', PIPELINES_DIR: '/var/task/pipelines' });
    const seen = (await runtime.invoke('check-job', { action: 'env' })) as Record<string, string>;
    expect(seen.custom).toBe('from-template');
    expect(seen.root).toBe(fn.codeDir);
    expect(seen.pipelines).toBe(join(fn.codeDir, 'pipelines'));
    expect(seen.tmp).not.toBe(tmpdir());
    expect(process.env.CUSTOM).toBeUndefined();
  });

  it("reports a thrown error as Lambda does: errorType is the error's name", async () => {
    const runtime = runtimeFor(await asset({ 'index.mjs': BUNDLE }));
    const error = await invocationError(runtime.invoke('check-job', { action: 'throw' }));
    expect(error.name).toBe('JobCapacityError');
    expect(JSON.parse(error.message)).toMatchObject({
      errorType: 'JobCapacityError',
      errorMessage: 'quota full',
    });
  });

  it('ends an invocation past its Timeout with Sandbox.Timedout, and the next one gets a new environment', async () => {
    const runtime = runtimeFor(await asset({ 'index.mjs': BUNDLE }, { timeoutSeconds: 1 }));
    const error = await invocationError(runtime.invoke('check-job', { action: 'hang' }));
    expect(error.name).toBe('Sandbox.Timedout');
    expect(JSON.parse(error.message).errorMessage).toContain('Task timed out after 1.00 seconds');
    expect(await runtime.invoke('check-job', { action: 'echo' })).toMatchObject({ invocations: 1 });
  });

  it('fails an invocation that fills /tmp past its EphemeralStorage, as ENOSPC would', async () => {
    const runtime = runtimeFor(await asset({ 'index.mjs': BUNDLE }, { ephemeralStorageMb: 1 }));
    expect(await runtime.invoke('check-job', { action: 'fill', bytes: 512 * 1024 })).toEqual({
      written: 524288,
    });
    const error = await invocationError(
      runtime.invoke('check-job', { action: 'fill', bytes: 2 * 1024 * 1024 }),
    );
    expect(error.name).toBe('Error');
    expect(JSON.parse(error.message).errorMessage).toMatch(/^ENOSPC: .*over its EphemeralStorage of 1 MB/);
  });

  it('names the function when its asset has no module for the Handler, before any invocation', async () => {
    const runtime = runtimeFor(await asset({ 'other.mjs': BUNDLE }));
    expect(() => runtime.checkAssets()).toThrow(
      /^The check-job function \(CheckJobFunction, asset .*\) could not be loaded: Runtime\.ImportModuleError: Cannot find module 'index'/,
    );
  });

  it('fails the invocation as Lambda does when the Handler export does not resolve, naming the function', async () => {
    const runtime = runtimeFor(await asset({ 'index.mjs': BUNDLE }, { handler: 'index.main' }));
    runtime.checkAssets();
    const error = await invocationError(runtime.invoke('check-job', {}));
    expect(error.name).toBe('Runtime.HandlerNotFound');
    expect(runtime.loadFailure).toBeInstanceOf(FunctionLoadError);
    expect(runtime.loadFailure?.message).toMatch(
      /^The check-job function .* could not be loaded: Runtime\.HandlerNotFound: index\.main is undefined or not exported$/,
    );
  });

  it('names the function when its bundle does not parse', async () => {
    const runtime = runtimeFor(await asset({ 'index.mjs': 'export const handler = (;' }));
    expect((await invocationError(runtime.invoke('check-job', {}))).name).toBe('Runtime.UserCodeSyntaxError');
    expect(runtime.loadFailure?.message).toMatch(/could not be loaded: Runtime\.UserCodeSyntaxError/);
  });
});

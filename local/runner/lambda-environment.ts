/**
 * One Lambda execution environment: a worker thread with its own `/tmp` (limited to the function's
 * `EphemeralStorage`), its memory as the heap limit, its `Timeout`, and the 6 MB response limit.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FunctionAsset } from './assembly';
import { cause, describeFunction, FunctionLoadError, LambdaInvocationError } from './lambda-errors';

/** Lambda's limit on a synchronous invocation's response. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

/** How often an invocation's `/tmp` use is measured while it runs. */
const DISK_CHECK_MS = 100;

/** Where Lambda mounts a function's code; variables that name it point at the asset folder locally. */
const TASK_ROOT = '/var/task';

interface Reply {
  readonly type: 'ready' | 'init-error' | 'result' | 'error';
  readonly id?: string;
  readonly payload?: string;
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly trace?: string[];
}

/** One execution environment: a worker with its own `/tmp`. */
export class Environment {
  private listener: ((reply: Reply) => void) | undefined;
  private failure: ((error: LambdaInvocationError) => void) | undefined;
  private ended = false;
  readonly ready: Promise<void>;

  private constructor(
    readonly fn: FunctionAsset,
    private readonly worker: Worker,
    readonly tmpDir: string,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.listener = (reply) => {
        if (reply.type === 'ready') resolve();
        else reject(new FunctionLoadError(loadMessage(fn, reply), reply.errorType));
      };
      this.failure = (error) =>
        reject(new FunctionLoadError(`${describeFunction(fn)} could not start: ${error.message}`));
    });
    worker.on('message', (reply: Reply) => this.listener?.(reply));
    worker.on('error', (error: Error & { code?: string }) => {
      const type = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'Runtime.OutOfMemory' : error.name || 'Error';
      this.end(new LambdaInvocationError(type, cause(type, error.message)));
    });
    worker.on('exit', (code) => {
      this.end(
        new LambdaInvocationError('Runtime.ExitError', cause('Runtime.ExitError', `exit status ${code}`)),
      );
    });
  }

  static async start(fn: FunctionAsset, variables: Record<string, string>, region: string, tmpRoot: string) {
    const tmpDir = await mkdtemp(join(tmpRoot, `${fn.handlerName}-`));
    const worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url), {
      env: { ...variables, TMPDIR: tmpDir, LAMBDA_TASK_ROOT: fn.codeDir },
      workerData: {
        codeDir: fn.codeDir,
        handler: fn.handler,
        functionName: fn.logicalId,
        memoryMb: fn.memoryMb,
        region,
      },
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb },
    });
    return new Environment(fn, worker, tmpDir);
  }

  get alive(): boolean {
    return !this.ended;
  }

  /** Whether the worker keeps the process running (an idle pooled environment does not). */
  set keepsProcessAlive(value: boolean) {
    if (value) this.worker.ref();
    else this.worker.unref();
  }

  /** Runs one invocation; rejects with the error Lambda would report. */
  invoke(event: string): Promise<string> {
    const id = randomUUID();
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const finish = (action: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(disk);
        this.listener = undefined;
        this.failure = undefined;
        action();
      };
      const fail = (error: LambdaInvocationError) => finish(() => reject(error));
      const timer = setTimeout(() => {
        const type = 'Sandbox.Timedout';
        fail(new LambdaInvocationError(type, cause(type, timedOut(id, this.fn.timeoutSeconds))));
        void this.terminate();
      }, timeoutMs);
      const checkDisk = async () => {
        const over = await this.diskOverflow();
        if (over === undefined) return false;
        fail(new LambdaInvocationError('Error', cause('Error', over)));
        void this.terminate();
        return true;
      };
      const disk = setInterval(() => void checkDisk(), DISK_CHECK_MS);
      this.failure = fail;
      this.listener = (reply) => {
        if (reply.id !== id) return;
        void checkDisk().then((overflowed) => {
          if (overflowed) return;
          if (reply.type === 'result') {
            const payload = reply.payload ?? 'null';
            if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
              const type = 'Function.ResponseSizeTooLarge';
              fail(
                new LambdaInvocationError(
                  type,
                  cause(type, 'Response payload size exceeded maximum allowed payload size (6291556 bytes).'),
                ),
              );
            } else {
              finish(() => resolve(payload));
            }
            return;
          }
          const type = reply.errorType ?? 'Error';
          fail(
            new LambdaInvocationError(
              type,
              JSON.stringify({
                errorType: type,
                errorMessage: reply.errorMessage ?? '',
                trace: reply.trace ?? [],
              }),
            ),
          );
        });
      };
      this.worker.postMessage({ id, event, deadline: Date.now() + timeoutMs, requestId: id });
    });
  }

  /** A sentence when `/tmp` holds more than the function's ephemeral storage, as ENOSPC would be. */
  private async diskOverflow(): Promise<string | undefined> {
    const used = await folderBytes(this.tmpDir);
    const limit = this.fn.ephemeralStorageMb * 1024 * 1024;
    if (used <= limit) return undefined;
    return `ENOSPC: no space left on device, write (the function's /tmp holds ${mb(used)} MB, over its EphemeralStorage of ${this.fn.ephemeralStorageMb} MB)`;
  }

  private end(error: LambdaInvocationError): void {
    if (this.ended) return;
    this.ended = true;
    this.failure?.(error);
    void rm(this.tmpDir, { recursive: true, force: true });
  }

  async terminate(): Promise<void> {
    this.ended = true;
    await this.worker.terminate();
    await rm(this.tmpDir, { recursive: true, force: true });
  }
}

/** Variables that point into `/var/task` point into the asset folder, where the code is locally. */
export function localPaths(
  variables: Readonly<Record<string, string>>,
  codeDir: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      value === TASK_ROOT || value.startsWith(`${TASK_ROOT}/`)
        ? codeDir + value.slice(TASK_ROOT.length)
        : value,
    ]),
  );
}

/** The bundle file Lambda's Node.js runtime would load for the Handler (`.js`, `.mjs`, `.cjs`, in order). */
export function moduleFile(fn: FunctionAsset): string | undefined {
  const moduleName = fn.handler.slice(0, Math.max(0, fn.handler.lastIndexOf('.')));
  return ['.js', '.mjs', '.cjs']
    .map((extension) => join(fn.codeDir, moduleName + extension))
    .find((path) => existsSync(path));
}

function loadMessage(fn: FunctionAsset, reply: Reply): string {
  const firstLine = (reply.errorMessage ?? '').split('\n')[0];
  return `${describeFunction(fn)} could not be loaded: ${reply.errorType}: ${firstLine}`;
}

function timedOut(requestId: string, seconds: number): string {
  return `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`;
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Bytes of the files under a folder (0 when it is gone). */
async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const info = await stat(join(entry.parentPath, entry.name)).catch(() => undefined);
    total += info?.size ?? 0;
  }
  return total;
}

/**
 * Runs the functions of a cloud assembly the way the Lambda service does: each execution environment is a
 * worker thread that loads the function's bundle from its asset folder (the template's `Handler`), with the
 * function's own variables, its `Timeout` (the environment is ended, `Sandbox.Timedout`), its `/tmp`
 * limited to its `EphemeralStorage`, and its memory as the heap limit. Environments are reused between
 * invocations, one invocation at a time each, as Lambda reuses warm ones. A thrown error reaches Step
 * Functions as Lambda reports it: error = the `errorType` (the error's `name`), cause = the JSON document.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HandlerName } from '../../lib/handler-names';
import type { FunctionAsset } from './assembly';

/** An error as Step Functions reports a failed Lambda invocation: `name` is the Error, `message` the Cause. */
export class LambdaInvocationError extends Error {
  constructor(errorType: string, cause: string) {
    super(cause);
    this.name = errorType;
  }
}

/** A function whose bundle cannot be loaded (missing module, handler not exported, syntax error). */
export class FunctionLoadError extends Error {
  override readonly name = 'FunctionLoadError';

  /** @param errorType what Lambda reports for it (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`, ...) */
  constructor(
    message: string,
    readonly errorType = 'Runtime.ImportModuleError',
  ) {
    super(message);
  }
}

/** Lambda's limit on a synchronous invocation's response. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

/** How often an invocation's `/tmp` use is measured while it runs. */
const DISK_CHECK_MS = 100;

/** Execution environments one function may have at once (more invocations wait for one). */
const MAX_ENVIRONMENTS = 8;

/** Where Lambda mounts a function's code; variables that name it point at the asset folder locally. */
const TASK_ROOT = '/var/task';

/** What {@link LambdaRuntime} needs. */
interface LambdaRuntimeOptions {
  readonly functions: Readonly<Record<HandlerName, FunctionAsset>>;
  /** The variables of one function's environment (template variables with local values, endpoints). */
  readonly environment: (fn: FunctionAsset) => Readonly<Record<string, string>>;
  readonly region: string;
}

interface Reply {
  readonly type: 'ready' | 'init-error' | 'result' | 'error';
  readonly id?: string;
  readonly payload?: string;
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly trace?: string[];
}

/** One execution environment: a worker with its own `/tmp`. */
class Environment {
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
        reject(new FunctionLoadError(`${describe(fn)} could not start: ${error.message}`));
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

/**
 * The functions of one local stack.
 *
 * @example
 * const runtime = new LambdaRuntime({ functions: assembly.functions, environment: () => ({}), region: 'us-east-1' });
 * runtime.checkAssets(); const result = await runtime.invoke('check-job', event); await runtime.close();
 */
export class LambdaRuntime {
  private readonly idle = new Map<HandlerName, Environment[]>();
  private readonly all = new Set<Environment>();
  private readonly waiting = new Map<HandlerName, Array<() => void>>();
  private tmpRoot: Promise<string> | undefined;
  private failedLoad: FunctionLoadError | undefined;

  constructor(private readonly options: LambdaRuntimeOptions) {}

  /**
   * Throws a {@link FunctionLoadError} for the first function whose asset has no module for its Handler.
   * Environments start at a function's first invocation, as on Lambda.
   */
  checkAssets(): void {
    for (const fn of Object.values(this.options.functions)) {
      if (moduleFile(fn) === undefined) {
        const moduleName = fn.handler.slice(0, Math.max(0, fn.handler.lastIndexOf('.')));
        throw new FunctionLoadError(
          `${describe(fn)} could not be loaded: Runtime.ImportModuleError: Cannot find module '${moduleName}' in ${fn.codeDir}`,
        );
      }
    }
  }

  /** The first function that could not be loaded when invoked, if any. */
  get loadFailure(): FunctionLoadError | undefined {
    return this.failedLoad;
  }

  /**
   * Invokes a function synchronously (RequestResponse) and resolves to its JSON result. A function that
   * cannot be loaded fails the invocation as Lambda does, and is remembered in {@link loadFailure}.
   */
  async invoke(name: HandlerName, payload: unknown): Promise<unknown> {
    let environment: Environment;
    try {
      environment = await this.acquire(name);
    } catch (error) {
      if (!(error instanceof FunctionLoadError)) throw error;
      this.failedLoad ??= error;
      throw new LambdaInvocationError(error.errorType, cause(error.errorType, error.message));
    }
    try {
      return JSON.parse(await environment.invoke(JSON.stringify(payload ?? null))) as unknown;
    } finally {
      this.release(environment);
    }
  }

  /** Ends every environment and removes their `/tmp` folders. */
  async close(): Promise<void> {
    await Promise.all([...this.all].map((environment) => environment.terminate()));
    this.all.clear();
    if (this.tmpRoot !== undefined) await rm(await this.tmpRoot, { recursive: true, force: true });
  }

  private async acquire(name: HandlerName): Promise<Environment> {
    for (;;) {
      const free = this.idle.get(name)?.pop();
      if (free?.alive) return free;
      if (free !== undefined) continue;
      const count = [...this.all].filter((environment) => environment.fn.handlerName === name).length;
      if (count < MAX_ENVIRONMENTS) return this.start(name);
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(name) ?? [];
        queue.push(resolve);
        this.waiting.set(name, queue);
      });
    }
  }

  private async start(name: HandlerName): Promise<Environment> {
    const fn = this.options.functions[name];
    if (fn === undefined) throw new FunctionLoadError(`The assembly has no ${name} function`);
    this.tmpRoot ??= mkdtemp(join(process.env.TMPDIR ?? '/tmp', 'bedrock-batch-lambda-'));
    const variables = localPaths(this.options.environment(fn), fn.codeDir);
    const environment = await Environment.start(fn, variables, this.options.region, await this.tmpRoot);
    this.all.add(environment);
    try {
      await environment.ready;
    } catch (error) {
      this.all.delete(environment);
      await environment.terminate();
      throw error;
    }
    return environment;
  }

  private release(environment: Environment): void {
    const name = environment.fn.handlerName;
    if (environment.alive) {
      const idle = this.idle.get(name) ?? [];
      idle.push(environment);
      this.idle.set(name, idle);
    } else {
      this.all.delete(environment);
    }
    this.waiting.get(name)?.shift()?.();
  }
}

/** Variables that point into `/var/task` point into the asset folder, where the code is locally. */
function localPaths(variables: Readonly<Record<string, string>>, codeDir: string): Record<string, string> {
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
function moduleFile(fn: FunctionAsset): string | undefined {
  const moduleName = fn.handler.slice(0, Math.max(0, fn.handler.lastIndexOf('.')));
  return ['.js', '.mjs', '.cjs']
    .map((extension) => join(fn.codeDir, moduleName + extension))
    .find((path) => existsSync(path));
}

function describe(fn: FunctionAsset): string {
  return `The ${fn.handlerName} function (${fn.logicalId}, asset ${fn.codeDir})`;
}

function loadMessage(fn: FunctionAsset, reply: Reply): string {
  const firstLine = (reply.errorMessage ?? '').split('\n')[0];
  return `${describe(fn)} could not be loaded: ${reply.errorType}: ${firstLine}`;
}

function cause(errorType: string, errorMessage: string): string {
  return JSON.stringify({ errorType, errorMessage });
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

/**
 * Runs the functions of a cloud assembly the way the Lambda service does: each execution environment is a
 * worker thread that loads the function's bundle from its asset folder (the template's `Handler`), with the
 * function's own variables, its `Timeout` (the environment is ended, `Sandbox.Timedout`), its `/tmp`
 * limited to its `EphemeralStorage`, and its memory as the heap limit. Environments are reused between
 * invocations, one invocation at a time each, as Lambda reuses warm ones. A thrown error reaches Step
 * Functions as Lambda reports it: error = the `errorType` (the error's `name`), cause = the JSON document.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HandlerName } from '../../lib/handler-names';
import type { FunctionAsset } from './assembly';
import type { EnvironmentPool } from './environment-pool';
import { Environment, localPaths, moduleFile } from './lambda-environment';
import { cause, describeFunction, FunctionLoadError, LambdaInvocationError } from './lambda-errors';

/** Execution environments one function may have at once (more invocations wait for one). */
const MAX_ENVIRONMENTS = 8;

/** What {@link LambdaRuntime} needs. */
interface LambdaRuntimeOptions {
  readonly functions: Readonly<Record<HandlerName, FunctionAsset>>;
  /** The variables of one function's environment (template variables with local values, endpoints). */
  readonly environment: (fn: FunctionAsset) => Readonly<Record<string, string>>;
  readonly region: string;
  /**
   * Where idle environments go when the runtime closes, and where it looks for a warm one before starting
   * an environment. @default - none: environments end with the runtime
   */
  readonly pool?: EnvironmentPool;
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
          `${describeFunction(fn)} could not be loaded: Runtime.ImportModuleError: Cannot find module '${moduleName}' in ${fn.codeDir}`,
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

  /** Ends every environment (hands the idle ones to the pool, if any) and removes their `/tmp` folders. */
  async close(): Promise<void> {
    const pool = this.options.pool;
    const idle = new Set([...this.idle.values()].flat().filter((environment) => environment.alive));
    this.idle.clear();
    await Promise.all(
      [...this.all].map((environment) =>
        pool !== undefined && idle.has(environment)
          ? pool.put(environment, this.variables(environment.fn))
          : environment.terminate(),
      ),
    );
    this.all.clear();
    if (this.tmpRoot !== undefined && pool === undefined) {
      await rm(await this.tmpRoot, { recursive: true, force: true });
    }
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
    const variables = this.variables(fn);
    const warm = this.options.pool?.take(fn, variables);
    if (warm !== undefined) {
      this.all.add(warm);
      return warm;
    }
    this.tmpRoot ??=
      this.options.pool === undefined
        ? mkdtemp(join(process.env.TMPDIR ?? '/tmp', 'bedrock-batch-lambda-'))
        : Promise.resolve(this.options.pool.tmpRoot);
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

  /** The variables of `fn`'s environments, as its worker threads get them. */
  private variables(fn: FunctionAsset): Record<string, string> {
    return localPaths(this.options.environment(fn), fn.codeDir);
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

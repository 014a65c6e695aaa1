/**
 * Calls a real handler the way the Lambda service does: a JSON payload in, a JSON payload out, the
 * function's environment set for the call, and a thrown error reported as Step Functions sees a Lambda
 * error (error = the error's name, cause = the runtime's JSON error document).
 */
import { randomUUID } from 'node:crypto';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const handlers = new Map<string, Promise<Handler>>();

/** Imports `lambda/<name>/index.ts` once and returns its `handler`. */
export function loadHandler(name: string): Promise<Handler> {
  let loaded = handlers.get(name);
  if (loaded === undefined) {
    loaded = import(new URL(`../../lambda/${name}/index.ts`, import.meta.url).href).then((module) => {
      const handler = (module as { handler?: unknown }).handler;
      if (typeof handler !== 'function')
        throw new Error(`lambda/${name}/index.ts exports no handler function`);
      return handler as Handler;
    });
    handlers.set(name, loaded);
  }
  return loaded;
}

/** An error as Step Functions reports a failed Lambda invocation: `name` is the Error, `message` the Cause. */
export class LambdaInvocationError extends Error {
  constructor(errorType: string, cause: string) {
    super(cause);
    this.name = errorType;
  }
}

/** Step Functions' limit on a state's input or output. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Options of {@link invokeLocal}. */
export interface InvokeOptions {
  readonly functionName: string;
  /** The function's own variables, set just before the call. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/**
 * Invokes handler `name` with `payload` and resolves to its JSON result.
 *
 * @example await invokeLocal('check-job', { job }, { functionName: 'CheckJob', environment: {}, timeoutMs: 60000 })
 */
export async function invokeLocal(name: string, payload: unknown, options: InvokeOptions): Promise<unknown> {
  const handler = await loadHandler(name);
  const event = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
  Object.assign(process.env, options.environment);
  const deadline = Date.now() + options.timeoutMs;
  const context = {
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:000000000000:function:${options.functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  let result: unknown;
  try {
    result = await handler(event, context);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const errorType = failure.name || 'Error';
    throw new LambdaInvocationError(
      errorType,
      JSON.stringify({
        errorType,
        errorMessage: failure.message,
        trace: (failure.stack ?? '').split('\n'),
      }),
    );
  }
  const text = JSON.stringify(result ?? null);
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    throw new LambdaInvocationError(
      'States.DataLimitExceeded',
      `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
  }
  return JSON.parse(text) as unknown;
}

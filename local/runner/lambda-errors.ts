/** The errors of the local Lambda runtime, as the Lambda service reports them to Step Functions. */
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

/** How a function is named in load errors: its handler folder, logical id and asset folder. */
export function describeFunction(fn: FunctionAsset): string {
  return `The ${fn.handlerName} function (${fn.logicalId}, asset ${fn.codeDir})`;
}

/** The Cause Lambda gives a failed invocation: the JSON document of its errorType and errorMessage. */
export function cause(errorType: string, errorMessage: string): string {
  return JSON.stringify({ errorType, errorMessage });
}

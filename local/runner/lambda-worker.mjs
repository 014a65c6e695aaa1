// One Lambda execution environment: loads the function's bundle from its asset folder the way the Node.js
// runtime does (`<module>.<export>` of the template's Handler) and serves invocations one at a time.
// Plain JavaScript: it runs in a worker thread, outside any TypeScript loader, like the bundle itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { codeDir, handler, functionName, memoryMb, region } = workerData;

/** Lambda's Node.js runtime looks for these files, in this order. */
const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'];

class RuntimeError extends Error {
  constructor(errorType, message) {
    super(message);
    this.name = errorType;
  }
}

async function loadHandler() {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) {
    throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handler}: use <module>.<export>`);
  }
  const moduleName = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const file = MODULE_EXTENSIONS.map((ext) => join(codeDir, moduleName + ext)).find((path) =>
    existsSync(path),
  );
  if (file === undefined) {
    throw new RuntimeError('Runtime.ImportModuleError', `Cannot find module '${moduleName}' in ${codeDir}`);
  }
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    const type = error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError';
    throw new RuntimeError(type, `${file}: ${error?.message ?? error}`);
  }
  const fn = module[exportName];
  if (typeof fn !== 'function') {
    throw new RuntimeError(
      'Runtime.HandlerNotFound',
      `${moduleName}.${exportName} is undefined or not exported`,
    );
  }
  return fn;
}

function errorDocument(error) {
  const failure = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: failure.name || 'Error',
    errorMessage: failure.message,
    trace: (failure.stack ?? '').split('\n'),
  };
}

function context(requestId, deadline) {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

let fn;
try {
  fn = await loadHandler();
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'init-error', ...errorDocument(error) });
}

parentPort.on('message', async ({ id, event, deadline, requestId }) => {
  try {
    const result = await fn(JSON.parse(event), context(requestId, deadline));
    parentPort.postMessage({ type: 'result', id, payload: JSON.stringify(result ?? null) });
  } catch (error) {
    parentPort.postMessage({ type: 'error', id, ...errorDocument(error) });
  }
});

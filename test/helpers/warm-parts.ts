/**
 * What the end-to-end files of one vitest process hand on to each other (the shared project runs its files
 * one after the other in the same process, vitest.config.ts): the warm Lambda environments
 * (local/runner/environment-pool.ts) and the ports of the last stack. A stack that listens on the same
 * ports gives its functions the same variables, so it gets the warm environments; everything else (the
 * embedded S3 and its objects, the emulator, its jobs and faults) is new for each file or stack.
 */
import { EnvironmentPool } from '../../local/runner/environment-pool';

/** The folder the global setup makes for the pools' `/tmp` folders, and removes after the run. */
export const POOL_DIR_VARIABLE = 'BEDROCK_BATCH_TEST_POOL_DIR';

/** The loopback ports of a stack: the embedded S3, the Bedrock emulator, the Step Functions endpoint. */
export interface StackPorts {
  readonly s3: number;
  readonly bedrock: number;
  readonly sfn: number;
}

interface WarmParts {
  readonly pool: EnvironmentPool;
  ports?: StackPorts;
}

/** On globalThis: vitest may load this module again for each file. */
const KEY = Symbol.for('bedrock-batch-pipeline.test-warm-parts');

/**
 * This process's warm parts. Pooled environments do not keep the process alive; their folders are under
 * the global setup's folder ({@link POOL_DIR_VARIABLE}), which it removes after the run.
 */
export function warmParts(): WarmParts {
  const state = globalThis as { [KEY]?: WarmParts };
  state[KEY] ??= { pool: new EnvironmentPool(process.env[POOL_DIR_VARIABLE]) };
  return state[KEY];
}

/**
 * `start(ports)` on the ports last used, else on free ones (`start()`) when another server took one
 * meanwhile: then the stack's functions start cold.
 */
export async function onPortsIfFree<P, T>(
  ports: P | undefined,
  start: (ports?: P) => Promise<T>,
): Promise<T> {
  if (ports === undefined) return start();
  return start(ports).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    return start();
  });
}

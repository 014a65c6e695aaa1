/**
 * The local stack: the embedded S3 with the stack's buckets, the Bedrock emulator bound to the synthesized
 * Bedrock role, the Step Functions endpoint running the synthesized definition, and the functions run from
 * their bundles in the cloud assembly (what `cdk deploy` uploads) with the variables the template gives
 * them, in local values.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { HandlerName } from '../../lib/handler-names';
import { startBedrockEmulator } from '../bedrock';
import type { Faults } from '../faults';
import { type S3Server, startS3Server } from '../s3-server';
import { type LocalAssembly, loadAssembly } from './assembly';
import { SimulatedClock } from './clock';
import { bedrockAccessPolicy, handlerEnvironment, localFunctionEnvironments } from './configuration';
import type { EnvironmentPool } from './environment-pool';
import { type ExecutionEvent, prepareLauncher } from './execution';
import { LambdaInvocationError } from './lambda-errors';
import { LambdaRuntime } from './lambda-runtime';
import { type SfnEndpoint, startSfnEndpoint } from './sfn-endpoint';
import type { LargestState } from './state-size';
import {
  deliverStatusChange,
  matchesPattern,
  type StatusChangeDelivery,
  statusChangeEvent,
  statusChangeTargets,
} from './status-rules';
import { type AslDefinition, bindTasks, type Notification } from './tasks';
import {
  type CfnTemplate,
  LOCAL_ACCOUNT,
  LOCAL_BUCKETS,
  type LocalValues,
  localBucketNames,
} from './template';

/** Options of {@link startLocalStack}. */
interface LocalStackOptions {
  /** The folder of the pipeline files (the construct's `pipelinesDir`, the handlers' `PIPELINES_DIR`). */
  readonly pipelinesDir: string;
  readonly faults?: Faults;
  /** Variables to set on top of the template's (for example `MAX_RUN_HOURS`). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Real milliseconds a Wait state lasts. @default 1 */
  readonly compressedWaitMs?: number;
  /** Log level of the handlers' Powertools loggers. @default 'SILENT' */
  readonly handlerLogLevel?: string;
  /**
   * Handler name → how many of its first invocations lose their response after the handler ran, failing
   * with `Lambda.ServiceException` as when the Lambda service fails (the state machine then retries).
   * @default - none
   */
  readonly lostResponses?: Readonly<Record<string, number>>;
  /**
   * Handler name → how many of its first invocations are refused with `Lambda.TooManyRequestsException`
   * before the handler runs, as when the account's Lambda concurrency is exhausted.
   * @default - none
   */
  readonly throttledInvocations?: Readonly<Record<string, number>>;
  /**
   * Real milliseconds added to each of the emulator's S3 calls, as on a slower machine: simulated time
   * must not change with it. @default 0
   */
  readonly emulatorS3DelayMs?: number;
  /**
   * An embedded S3 to use instead of starting one (it must hold the stack's buckets); it is left running.
   * Stacks that follow each other in one process share it, since a handler may keep its client.
   */
  readonly s3Server?: S3Server;
  /** Warm environments to take from, and to hand the idle ones to at close. @default - none */
  readonly environmentPool?: EnvironmentPool;
  /** Ports for the Bedrock emulator and the Step Functions endpoint. @default - ephemeral ports */
  readonly ports?: { readonly bedrock: number; readonly sfn: number };
}

/** A running local stack. */
export interface LocalStack {
  readonly region: string;
  readonly buckets: typeof LOCAL_BUCKETS;
  /** An S3 client for the embedded server (path style). */
  readonly s3: S3Client;
  readonly s3Endpoint: string;
  readonly bedrock: Awaited<ReturnType<typeof startBedrockEmulator>>;
  readonly sfn: SfnEndpoint;
  readonly stateMachineArn: string;
  readonly clock: SimulatedClock;
  readonly definition: AslDefinition;
  /** The local values of the functions' variables together, with the SDK settings for the local endpoints. */
  readonly environment: Readonly<Record<string, string>>;
  /** The cloud assembly whose bundles the functions run from. */
  readonly assembly: Pick<LocalAssembly, 'dir' | 'cached'>;
  /** The first function that failed to load when invoked (the run then fails as on AWS). */
  loadFailure(): Error | undefined;
  /** The largest state input or output an execution has had so far (by execution name). */
  largestState(executionName: string): LargestState | undefined;
  /** Invokes a function as Lambda does (its bundle, variables, timeout and `/tmp` limit). */
  invoke(handler: HandlerName, payload: unknown): Promise<unknown>;
  /** Messages the SNS publish states sent. */
  readonly notifications: Notification[];
  /** Deliveries of "Execution Status Change" events to the rules' functions (Stop jobs), in order. */
  readonly statusChanges: StatusChangeDelivery[];
  /**
   * Resolves once the execution has ended and every rule matching its status change has run, as the
   * EventBridge rules do in AWS (Stop jobs for an aborted, timed-out or failed run).
   */
  settled(executionArn: string): Promise<void>;
  /** Subscribes to execution events; returns the unsubscribe function. */
  onEvent(listener: (event: ExecutionEvent, execution: string) => void): () => void;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const STATE_MACHINE_NAME = 'bedrock-batch-pipeline';

/**
 * Starts everything a local run needs; {@link LocalStack.close} stops it all.
 *
 * @example
 * const stack = await startLocalStack({ pipelinesDir: 'pipelines' });
 * try { ... } finally { await stack.close(); }
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const synthesized = await loadAssembly(options.pipelinesDir);
  const template = synthesized.template as CfnTemplate;
  const stateMachineArn = `arn:aws:states:${REGION}:${LOCAL_ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`;
  const local: LocalValues = { region: REGION, stateMachineArn, buckets: localBucketNames(template) };
  const definition = synthesized.definition as unknown as AslDefinition;
  const clock = new SimulatedClock();
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const s3Server = options.s3Server ?? (await startS3Server({ buckets: Object.values(LOCAL_BUCKETS) }));
    if (options.s3Server === undefined) closers.push(() => s3Server.close());
    const s3 = holdingClock(s3Server.client(), clock, options.emulatorS3DelayMs ?? 0);
    closers.push(async () => s3.destroy());
    const bedrock = await startBedrockEmulator({
      s3,
      clock,
      region: REGION,
      accountId: LOCAL_ACCOUNT,
      ...(options.faults === undefined ? {} : { faults: options.faults }),
      accessPolicy: bedrockAccessPolicy(template, local),
      ...(options.ports === undefined ? {} : { port: options.ports.bedrock }),
    });
    closers.push(() => bedrock.close());

    const functionEnv = localFunctionEnvironments(template, local);
    const endpoints: { s3: string; bedrock: string; sfn?: string } = {
      s3: s3Server.endpoint,
      bedrock: bedrock.endpoint,
    };
    const inputs = {
      region: REGION,
      endpoints,
      ...(options.handlerLogLevel === undefined ? {} : { handlerLogLevel: options.handlerLogLevel }),
      ...(options.environment === undefined ? {} : { overrides: options.environment }),
    };
    const runtime = new LambdaRuntime({
      functions: synthesized.functions,
      region: REGION,
      ...(options.environmentPool === undefined ? {} : { pool: options.environmentPool }),
      environment: (fn) => handlerEnvironment({ [fn.logicalId]: functionEnv[fn.logicalId] ?? {} }, inputs),
    });
    closers.push(() => runtime.close());
    const listeners = new Set<(event: ExecutionEvent, execution: string) => void>();
    const notifications: Notification[] = [];
    const lost = new Map(Object.entries(options.lostResponses ?? {}));
    const throttled = new Map(Object.entries(options.throttledInvocations ?? {}));
    const call = async (handler: HandlerName, payload: unknown) => {
      await clock.settled();
      const release = clock.hold();
      try {
        return await runtime.invoke(handler, payload);
      } finally {
        release();
      }
    };
    const tasks = bindTasks(definition, {
      functions: synthesized.logicalIds,
      notify: (notification) => notifications.push(notification),
      invoke: async (handler, payload) => {
        const refusals = throttled.get(handler) ?? 0;
        if (refusals > 0) {
          throttled.set(handler, refusals - 1);
          throw new LambdaInvocationError(
            'Lambda.TooManyRequestsException',
            'Lambda.TooManyRequestsException: Rate Exceeded. (injected by the local runner)',
          );
        }
        const result = await call(handler, payload);
        const remaining = lost.get(handler) ?? 0;
        if (remaining > 0) {
          lost.set(handler, remaining - 1);
          throw new LambdaInvocationError(
            'Lambda.ServiceException',
            'Lambda.ServiceException: the function ran but its response was lost (injected by the local runner)',
          );
        }
        return result;
      },
    });
    const largestStates = new Map<string, LargestState>();
    const launch = await prepareLauncher({
      largestStates,
      definition,
      stateMachineArn,
      tasks,
      clock,
      waitMs: options.compressedWaitMs ?? 1,
      onEvent: (event, execution) => {
        for (const listener of listeners) listener(event, execution);
      },
    });
    const sfn = await startSfnEndpoint({ stateMachineArn, launch, port: options.ports?.sfn ?? 0 });
    endpoints.sfn = sfn.endpoint;
    const rules = statusChangeTargets(template, local, synthesized.logicalIds);
    const statusChanges: StatusChangeDelivery[] = [];
    const settled = new Map<string, Promise<void>>();
    let closing = false;
    sfn.onStart((execution) => {
      const ended = clock.executionStarted();
      const delivered = execution.done.then(async () => {
        if (closing) return;
        const event = statusChangeEvent(execution, stateMachineArn, REGION);
        for (const rule of rules.filter((target) => matchesPattern(target.pattern, event))) {
          statusChanges.push(await deliverStatusChange(rule, event, execution, call));
        }
      });
      settled.set(
        execution.arn,
        delivered.finally(() => ended()),
      );
    });
    closers.push(async () => {
      closing = true;
      await sfn.close();
    });
    runtime.checkAssets();
    return {
      region: REGION,
      buckets: LOCAL_BUCKETS,
      s3,
      s3Endpoint: s3Server.endpoint,
      bedrock,
      sfn,
      stateMachineArn,
      clock,
      definition,
      environment: handlerEnvironment(functionEnv, inputs),
      assembly: { dir: synthesized.dir, cached: synthesized.cached },
      invoke: (handler, payload) => call(handler, payload),
      largestState: (executionName) => largestStates.get(executionName),
      loadFailure: () => runtime.loadFailure,
      notifications,
      statusChanges,
      settled: (executionArn) => settled.get(executionArn) ?? Promise.resolve(),
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The emulator's S3 requests run while Wait states move the simulated clock: the clock does not jump
 * while one is in flight, so none arrives more than S3's 15 minutes away from the time it was signed.
 */
function holdingClock(client: S3Client, clock: SimulatedClock, delayMs: number): S3Client {
  client.middlewareStack.add(
    (next) => async (args) => {
      const release = clock.hold();
      try {
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        return await next(args);
      } finally {
        release();
      }
    },
    { step: 'initialize', name: 'holdSimulatedClock' },
  );
  return client;
}

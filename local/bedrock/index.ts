/**
 * The Bedrock batch emulator: a loopback HTTP server speaking the control plane's REST protocol
 * (Create, Get, List, Stop model invocation jobs) that runs jobs against S3 with an emulated model.
 * See docs/emulator.md.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Faults } from '../faults';
import type { AccessPolicy } from './access';
import { ApiError, INJECTED_MESSAGES } from './api-error';
import { type EmulatorClock, systemClock } from './clock';
import { type Job, type JobView, jobView } from './job';
import { runJob } from './lifecycle';
import { listJobs } from './list';
import { TERMINAL_STATUSES } from './patterns';
import { type RuntimeStats, runtimeOperations } from './runtime/index';
import { listenDual } from './runtime/listen';
import { requestListener } from './server';
import { resolveSettings } from './settings';
import { JobStore } from './store';
import { validateCreateRequest } from './validate-create';

export type { AccessPolicy } from './access';
export { ManualClock } from './clock';
export type { JobView } from './job';

/** Options of {@link startBedrockEmulator}. */
export interface BedrockEmulatorOptions {
  /** The client the emulator reads inputs and writes outputs with (for example the embedded S3's). */
  readonly s3: S3Client;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** Failures and quotas to inject. @default - none; AWS's default quotas */
  readonly faults?: Faults;
  /** The pipeline's Bedrock role and its S3 statements. @default - any well-formed role ARN is accepted */
  readonly accessPolicy?: AccessPolicy;
  /** @default - the system clock */
  readonly clock?: EmulatorClock;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Called after every status or progress change of a job. */
  readonly onChange?: (job: JobView) => void;
}

/** One CreateModelInvocationJob call as the emulator received it. */
export interface CreateCall {
  readonly clientRequestToken?: string;
  /** The error code returned (`ThrottlingException`, ...), absent when the call returned a job. */
  readonly error?: string;
}

/** A running emulator. */
export interface BedrockEmulator {
  /**
   * `http://127.0.0.1:<port>`: set it as the Bedrock client's endpoint (or `AWS_ENDPOINT_URL_BEDROCK`),
   * and as the Bedrock runtime client's (`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`).
   */
  readonly endpoint: string;
  readonly port: number;
  /** Every job, in creation order, as Get returns it. */
  jobs(): JobView[];
  /** InvokeModel and Converse calls received so far, and how many got an injected fault. */
  runtimeStats(): Readonly<RuntimeStats>;
  /** Every CreateModelInvocationJob call received, in order: its client token and the error it got, if any. */
  createCalls(): readonly CreateCall[];
  /** Resolves when no job is running (every job created so far is terminal). */
  idle(): Promise<void>;
  /** Stops the server and abandons running jobs. */
  close(): Promise<void>;
}

/**
 * Starts the emulator on loopback.
 *
 * @example const bedrock = await startBedrockEmulator({ s3: s3server.client() });
 */
export async function startBedrockEmulator(options: BedrockEmulatorOptions): Promise<BedrockEmulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const clock = options.clock ?? systemClock;
  const settings = resolveSettings(options.faults);
  const store = new JobStore({ region, accountId });
  const aborter = new AbortController();
  const running = new Set<Promise<void>>();
  const stoppers = new Map<string, () => void>();
  const createErrors = [...(settings.faults.createErrors ?? [])];
  const getErrors = [...(settings.faults.getErrors ?? [])];
  const changed = (job: Job) => options.onChange?.(jobView(job));
  const runtimeStats: RuntimeStats = { calls: 0, injected: 0 };
  const createCalls: CreateCall[] = [];

  const injected = (queue: string[]) => {
    const type = queue.shift();
    if (type !== undefined) throw new ApiError(type, INJECTED_MESSAGES[type] ?? type);
  };

  const start = (job: Job) => {
    let wake = () => {};
    const stopRequested = new Promise<void>((resolve) => {
      wake = resolve;
    });
    stoppers.set(job.id, wake);
    const context = {
      s3: options.s3,
      clock,
      signal: aborter.signal,
      settings,
      accountId,
      accessPolicy: options.accessPolicy,
      stopRequested,
      changed,
    };
    const run = runJob(job, context)
      .catch(() => undefined)
      .finally(() => {
        running.delete(run);
        stoppers.delete(job.id);
      });
    running.add(run);
  };

  const createJob = async (body: unknown) => {
    injected(createErrors);
    const request = validateCreateRequest(body);
    const model = settings.models.forBatchJob(request.modelId);
    const existing = store.byClientToken(request.clientRequestToken);
    if (existing !== undefined) return { jobArn: existing.arn };
    const policy = options.accessPolicy;
    if (policy !== undefined && request.roleArn !== policy.bedrockRoleArn) {
      throw new ApiError(
        'AccessDeniedException',
        `The caller is not authorized to perform: iam:PassRole on resource: ${request.roleArn}`,
      );
    }
    if (store.activeForModel(request.modelId) >= settings.maxConcurrentJobs) {
      throw new ApiError(
        'ServiceQuotaExceededException',
        `The number of submitted and in-progress batch inference jobs for ${request.modelId} has reached the quota of ${settings.maxConcurrentJobs}.`,
      );
    }
    const job = store.add(request, model, clock.now());
    changed(job);
    start(job);
    return { jobArn: job.arn };
  };

  const operations = {
    async create(body: unknown) {
      const token = (body as { clientRequestToken?: unknown } | null)?.clientRequestToken;
      const call = typeof token === 'string' ? { clientRequestToken: token } : {};
      try {
        const created = await createJob(body);
        createCalls.push(call);
        return created;
      } catch (error) {
        createCalls.push({
          ...call,
          error: error instanceof ApiError ? error.type : 'InternalServerException',
        });
        throw error;
      }
    },
    get(identifier: string) {
      injected(getErrors);
      return jobView(store.find(identifier));
    },
    stop(identifier: string) {
      const job = store.find(identifier);
      if (TERMINAL_STATUSES.has(job.status)) {
        throw new ApiError(
          'ValidationException',
          `The job ${job.arn} is ${job.status} and can no longer be stopped.`,
        );
      }
      if (!job.stopRequested) {
        job.stopRequested = true;
        job.status = 'Stopping';
        job.lastModifiedTime = clock.now();
        changed(job);
        stoppers.get(job.id)?.();
      }
      return {};
    },
    list(query: URLSearchParams) {
      return listJobs(store.all(), query);
    },
    runtime: runtimeOperations(settings.faults, settings.seed, runtimeStats, settings.models),
  };

  const server = await listenDual(
    requestListener(operations),
    options.port ?? 0,
    options.host ?? '127.0.0.1',
  );
  const { port, address } = server;
  return {
    endpoint: `http://${address}:${port}`,
    port,
    jobs: () => store.all().map(jobView),
    runtimeStats: () => ({ ...runtimeStats }),
    createCalls: () => [...createCalls],
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
    async close() {
      aborter.abort(new Error('emulator closed'));
      await server.close();
      await Promise.all(running);
    },
  };
}

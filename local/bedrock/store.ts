/** The emulator's jobs: lookup by ARN or id, idempotency tokens, and the per-model concurrency quota. */
import { ApiError } from './api-error';
import { type CreateJobRequest, DEFAULT_TIMEOUT_HOURS, type Job } from './job';
import { baseModelId } from './models/id';
import type { BatchModel } from './models/table';
import { JOB_IDENTIFIER, TERMINAL_STATUSES } from './patterns';
import { newJobId } from './random';

/** Where jobs live: the account and Region that appear in their ARNs. */
interface StoreScope {
  readonly region: string;
  readonly accountId: string;
}

/** In-memory job table. */
export class JobStore {
  private readonly byId = new Map<string, Job>();
  private readonly byToken = new Map<string, Job>();

  constructor(private readonly scope: StoreScope) {}

  /** Every job, in creation order. */
  all(): Job[] {
    return [...this.byId.values()];
  }

  /** The job with this token, if a previous create used it. */
  byClientToken(token: string | undefined): Job | undefined {
    return token === undefined ? undefined : this.byToken.get(token);
  }

  /** Non-terminal jobs of the same base model (Submitted, Validating, Scheduled, InProgress, Stopping). */
  activeForModel(modelId: string): number {
    const model = baseModelId(modelId);
    return this.all().filter(
      (job) => !TERMINAL_STATUSES.has(job.status) && baseModelId(job.request.modelId) === model,
    ).length;
  }

  /** Adds a job in status Submitted, running on `model` (the table entry of its model id). */
  add(request: CreateJobRequest, model: BatchModel, now: number): Job {
    let id = newJobId();
    while (this.byId.has(id)) id = newJobId();
    const hours = request.timeoutDurationInHours ?? DEFAULT_TIMEOUT_HOURS;
    const job: Job = {
      id,
      arn: `arn:aws:bedrock:${this.scope.region}:${this.scope.accountId}:model-invocation-job/${id}`,
      request,
      model,
      sequence: this.byId.size,
      submitTime: now,
      expirationTime: now + hours * 3_600_000,
      status: 'Submitted',
      lastModifiedTime: now,
      counters: { totalRecordCount: 0, processedRecordCount: 0, successRecordCount: 0, errorRecordCount: 0 },
      stopRequested: false,
    };
    this.byId.set(id, job);
    if (request.clientRequestToken !== undefined) this.byToken.set(request.clientRequestToken, job);
    return job;
  }

  /** The job named by a (decoded) path identifier: a job ARN or a bare id. */
  find(identifier: string): Job {
    if (!JOB_IDENTIFIER.test(identifier) || identifier.length > 1011) {
      throw new ApiError(
        'ValidationException',
        `1 validation error detected: Value '${identifier}' at 'jobIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${JOB_IDENTIFIER.source.slice(4, -2)}`,
      );
    }
    const id = identifier.slice(-12);
    const job = this.byId.get(id);
    if (job === undefined || (identifier.length > 12 && identifier !== job.arn)) {
      throw new ApiError('ResourceNotFoundException', `The specified job ${identifier} was not found.`);
    }
    return job;
  }
}

/**
 * Bedrock batch-job calls at the edge. Each helper takes its `BedrockClient`; create errors are
 * mapped to the product's typed errors so the state machine can retry or fail on their names.
 */
import {
  type BedrockClient,
  CreateModelInvocationJobCommand,
  type CreateModelInvocationJobCommandInput,
  GetModelInvocationJobCommand,
  paginateListModelInvocationJobs,
  StopModelInvocationJobCommand,
} from '@aws-sdk/client-bedrock';
import { JobCapacityError, JobRejectedError } from '../core/contract/errors';
import { classifyStatus, type JobObservation } from '../core/job/job-status';

/** Create errors that mean "no slot or too fast now": waited out by the state machine. */
const CAPACITY_ERRORS = new Set(['ThrottlingException', 'ServiceQuotaExceededException']);
/** Create errors that will not go away on retry: the run fails with Bedrock's message. */
const REJECTED_ERRORS = new Set([
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ConflictException',
]);

/** Error names and network codes that say nothing about the job itself. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'InternalServerException',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

function errorName(error: unknown): string {
  return (error as { name?: unknown })?.name?.toString() ?? 'Error';
}

function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown })?.message;
  return typeof message === 'string' && message !== '' ? message : 'no message';
}

/**
 * Creates a batch job and returns its ARN. A repeated `clientRequestToken` returns the job
 * already created.
 *
 * @throws JobCapacityError on throttling or a full concurrent-jobs quota (retryable)
 * @throws JobRejectedError on validation, access, not-found and conflict errors, with Bedrock's message
 */
export async function createJob(
  bedrock: BedrockClient,
  request: CreateModelInvocationJobCommandInput,
): Promise<string> {
  try {
    const out = await bedrock.send(new CreateModelInvocationJobCommand(request));
    if (!out.jobArn) throw new Error('CreateModelInvocationJob returned no jobArn');
    return out.jobArn;
  } catch (error) {
    const name = errorName(error);
    if (CAPACITY_ERRORS.has(name)) {
      throw new JobCapacityError(
        `Bedrock has no capacity for job ${request.jobName} now (${name}: ${errorMessage(error)})`,
        { cause: error },
      );
    }
    if (REJECTED_ERRORS.has(name)) {
      throw new JobRejectedError(
        `Bedrock refused to create job ${request.jobName} (${name}): ${errorMessage(error)}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * True for errors that say nothing about the job itself (throttling, a Bedrock server fault, the
 * network): the next check may well succeed.
 */
export function isTransientError(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; $fault?: unknown; $retryable?: unknown };
  if (e?.$fault === 'server' || e?.$retryable !== undefined) return true;
  return TRANSIENT_NAMES.has(String(e?.name)) || TRANSIENT_NAMES.has(String(e?.code));
}

/** The job's status, message and progress counters. */
export async function getJob(bedrock: BedrockClient, jobArn: string): Promise<JobObservation> {
  const out = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
  return {
    status: out.status,
    message: out.message,
    counters: {
      totalRecordCount: out.totalRecordCount,
      processedRecordCount: out.processedRecordCount,
      successRecordCount: out.successRecordCount,
      errorRecordCount: out.errorRecordCount,
    },
    times: {
      submitTime: out.submitTime?.toISOString(),
      lastModifiedTime: out.lastModifiedTime?.toISOString(),
      endTime: out.endTime?.toISOString(),
    },
  };
}

/**
 * Asks Bedrock to stop a job. Returns `false` instead of throwing when Bedrock answers that the job
 * cannot be stopped (already ended, or gone): the goal, a job that no longer runs, is met.
 */
export async function stopJob(bedrock: BedrockClient, jobArn: string): Promise<boolean> {
  try {
    await bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn }));
    return true;
  } catch (error) {
    const name = errorName(error);
    if (
      name === 'ValidationException' ||
      name === 'ConflictException' ||
      name === 'ResourceNotFoundException'
    ) {
      return false;
    }
    throw error;
  }
}

/**
 * ARNs of the jobs whose name contains `nameContains` (a run's hash) and that are still queued or
 * running (Submitted, Validating, Scheduled, InProgress).
 */
export async function listActiveJobs(bedrock: BedrockClient, nameContains: string): Promise<string[]> {
  const arns: string[] = [];
  for await (const page of paginateListModelInvocationJobs(
    { client: bedrock },
    { nameContains, maxResults: 1000 },
  )) {
    for (const job of page.invocationJobSummaries ?? []) {
      const active = classifyStatus(job.status) === 'running' && job.status !== 'Stopping';
      if (active && job.jobArn && job.jobName?.includes(nameContains)) arns.push(job.jobArn);
    }
  }
  return arns;
}

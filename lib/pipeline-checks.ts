/**
 * What BedrockBatchPipeline checks before it builds anything: its numeric props, the pipelines it
 * deploys, and that Collect's `/tmp` can hold the largest shard of any of them.
 */
import { Annotations, type Duration, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  collectStorageMiB,
  EPHEMERAL_STORAGE_MIB,
  spillBytesPerRecord,
} from '../lambda/core/collect/spill-size';
import type { PipelineDefinition } from '../lambda/core/contract/types';
import { EMULATOR_MIN_RECORDS_VARIABLE } from '../lambda/core/models/limits';
import { loadPipelinesDir } from '../lambda/core/pipeline/pipeline';

/** Job timeout bounds Bedrock accepts (`timeoutDurationInHours`). */
export const JOB_TIMEOUT_HOURS = { min: 24, max: 168 } as const;

/** Model calls in flight Invoke on demand accepts (`ON_DEMAND_CONCURRENCY`). */
const ON_DEMAND_CONCURRENCY = { min: 1, max: 64 } as const;

/** The numeric props checked before anything is built. */
interface CheckedProps {
  readonly jobTimeoutHours?: number;
  readonly maxRunHours?: number;
  readonly maxConcurrentJobs?: number;
  readonly alarmJobHours?: number;
  readonly onDemandConcurrency?: number;
}

/** Refuses a numeric prop out of range (tokens pass: they are only known at deploy time). */
export function validate(props: CheckedProps): void {
  const hours = props.jobTimeoutHours;
  if (hours !== undefined && !Token.isUnresolved(hours)) {
    if (!Number.isInteger(hours) || hours < JOB_TIMEOUT_HOURS.min || hours > JOB_TIMEOUT_HOURS.max) {
      throw new Error(
        `jobTimeoutHours must be a whole number from ${JOB_TIMEOUT_HOURS.min} to ${JOB_TIMEOUT_HOURS.max}, got ${hours}`,
      );
    }
  }
  const runHours = props.maxRunHours;
  if (runHours !== undefined && !Token.isUnresolved(runHours) && !(runHours > 0)) {
    throw new Error(`maxRunHours must be a positive number of hours, got ${runHours}`);
  }
  const jobs = props.maxConcurrentJobs;
  if (jobs !== undefined && !Token.isUnresolved(jobs) && (!Number.isInteger(jobs) || jobs < 1)) {
    throw new Error(`maxConcurrentJobs must be a whole number >= 1, got ${jobs}`);
  }
  const alarmHours = props.alarmJobHours;
  if (alarmHours !== undefined && !Token.isUnresolved(alarmHours) && !(alarmHours > 0)) {
    throw new Error(`alarmJobHours must be a positive number of hours, got ${alarmHours}`);
  }
  const calls = props.onDemandConcurrency;
  const { min, max } = ON_DEMAND_CONCURRENCY;
  if (
    calls !== undefined &&
    !Token.isUnresolved(calls) &&
    (!Number.isInteger(calls) || calls < min || calls > max)
  ) {
    throw new Error(`onDemandConcurrency must be a whole number from ${min} to ${max}, got ${calls}`);
  }
}

/** The pipelines of `dir`, refused when none, invalid, or longer than the stack's job timeout. */
export function loadPipelines(dir: string, jobTimeoutHours: number | undefined): PipelineDefinition[] {
  let pipelines: PipelineDefinition[];
  try {
    pipelines = loadPipelinesDir(dir);
  } catch (error) {
    throw new Error(`Invalid pipeline in ${dir}: ${(error as Error).message}`, { cause: error });
  }
  if (pipelines.length === 0) throw new Error(`No pipeline definitions (*.json) found in ${dir}`);
  if (jobTimeoutHours !== undefined && !Token.isUnresolved(jobTimeoutHours)) {
    for (const pipeline of pipelines) {
      if (pipeline.timeoutHours > jobTimeoutHours) {
        throw new Error(
          `Pipeline "${pipeline.name}": timeoutHours ${pipeline.timeoutHours} exceeds the stack's ` +
            `jobTimeoutHours ${jobTimeoutHours}`,
        );
      }
    }
  }
  return pipelines;
}

/**
 * Collect's `/tmp`: `requested` (the `collectStorageMiB` prop) or the largest shard of any pipeline, the
 * larger; refuses a pipeline whose shard cannot fit and a `requested` outside Lambda's range.
 */
export function collectStorage(pipelines: readonly PipelineDefinition[], requested?: number): number {
  const { min, max } = EPHEMERAL_STORAGE_MIB;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < min || requested > max)) {
    throw new Error(`collectStorageMiB must be a whole number from ${min} to ${max}, got ${requested}`);
  }
  let largest: number = requested ?? min;
  for (const pipeline of pipelines) {
    const mib = collectStorageMiB(pipeline);
    if (mib > EPHEMERAL_STORAGE_MIB.max) {
      const perRecord = spillBytesPerRecord(pipeline);
      const fits = Math.floor((pipeline.maxRecordsPerJob * EPHEMERAL_STORAGE_MIB.max) / mib);
      throw new Error(
        `Pipeline "${pipeline.name}": one shard's results need about ${mib} MiB of Collect's /tmp ` +
          `(${pipeline.maxRecordsPerJob} records of up to ${perRecord} bytes), above Lambda's ` +
          `${EPHEMERAL_STORAGE_MIB.max} MiB: lower maxRecordsPerJob to ${fits} or less, or maxTokens`,
      );
    }
    largest = Math.max(largest, mib);
  }
  return largest;
}

/**
 * The longest a job may run (its timeout + 24 hours, or `maxRunHours` when larger); refuses an
 * `executionTimeout` that does not exceed it.
 */
export function longestJobHours(
  jobTimeoutHours: number,
  maxRunHours: number | undefined,
  executionTimeout: Duration | undefined,
): number {
  const timeoutBasis = Token.isUnresolved(jobTimeoutHours) ? JOB_TIMEOUT_HOURS.max : jobTimeoutHours;
  const runLimit = maxRunHours !== undefined && !Token.isUnresolved(maxRunHours) ? maxRunHours : 0;
  const jobHours = Math.max(timeoutBasis + 24, runLimit);
  const executionHours = executionTimeout?.toHours({ integral: false });
  if (executionHours !== undefined && !Token.isUnresolved(executionHours) && executionHours <= jobHours) {
    throw new Error(
      `executionTimeout must be above the longest a job may run (${jobHours} hours), got ${executionHours} hours`,
    );
  }
  return jobHours;
}

/** Says so when pipelines were checked against the emulator's batch minimum instead of Bedrock's. */
export function warnOfEmulatorMinimum(scope: IConstruct): void {
  if (process.env[EMULATOR_MIN_RECORDS_VARIABLE] !== undefined) {
    Annotations.of(scope).addWarningV2(
      'bedrock-batch:emulator-minimum',
      `${EMULATOR_MIN_RECORDS_VARIABLE} is set: pipelines were checked against the local emulator's batch minimum, not Bedrock's; a deployed run refuses a pipeline below Bedrock's minimum.`,
    );
  }
}

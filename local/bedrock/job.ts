/** A job as the emulator keeps it, and its wire form (the Get response / List summary). */
import type { BatchModel } from './models/table';
import type { JobStatus } from './patterns';

/** The validated CreateModelInvocationJob request. */
export interface CreateJobRequest {
  readonly jobName: string;
  readonly roleArn: string;
  readonly modelId: string;
  readonly clientRequestToken?: string;
  readonly modelInvocationType?: 'InvokeModel' | 'Converse';
  readonly inputDataConfig: {
    readonly s3InputDataConfig: {
      readonly s3Uri: string;
      readonly s3InputFormat?: string;
      readonly s3BucketOwner?: string;
    };
  };
  readonly outputDataConfig: {
    readonly s3OutputDataConfig: {
      readonly s3Uri: string;
      readonly s3EncryptionKeyId?: string;
      readonly s3BucketOwner?: string;
    };
  };
  readonly vpcConfig?: {
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
  };
  readonly timeoutDurationInHours?: number;
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

/** Progress counters, as Get reports them. */
interface JobCounters {
  totalRecordCount: number;
  processedRecordCount: number;
  successRecordCount: number;
  errorRecordCount: number;
}

/** One job's mutable state inside the emulator. */
export interface Job {
  readonly id: string;
  readonly arn: string;
  readonly request: CreateJobRequest;
  /** The model's table entry: body shape, context window and batch limits. */
  readonly model: BatchModel;
  /** Creation order, 0-based (faults that apply to the first N jobs use it). */
  readonly sequence: number;
  readonly submitTime: number;
  readonly expirationTime: number;
  status: JobStatus;
  lastModifiedTime: number;
  endTime?: number;
  message?: string;
  counters: JobCounters;
  stopRequested: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A job as GetModelInvocationJob returns it (timestamps as ISO-8601 strings). */
export interface JobView extends JobCounters {
  readonly jobArn: string;
  readonly jobName: string;
  readonly modelId: string;
  readonly clientRequestToken?: string;
  readonly roleArn: string;
  readonly status: JobStatus;
  readonly message?: string;
  readonly submitTime: string;
  readonly lastModifiedTime: string;
  readonly endTime?: string;
  readonly inputDataConfig: CreateJobRequest['inputDataConfig'];
  readonly outputDataConfig: CreateJobRequest['outputDataConfig'];
  readonly vpcConfig?: CreateJobRequest['vpcConfig'];
  readonly timeoutDurationInHours: number;
  readonly jobExpirationTime: string;
  readonly modelInvocationType: 'InvokeModel' | 'Converse';
}

/** The JSON body of GetModelInvocationJob (also a List summary): absent optional fields are omitted. */
export function jobView(job: Job): JobView {
  const { request } = job;
  return {
    jobArn: job.arn,
    jobName: request.jobName,
    modelId: request.modelId,
    ...(request.clientRequestToken === undefined ? {} : { clientRequestToken: request.clientRequestToken }),
    roleArn: request.roleArn,
    status: job.status,
    ...(job.message === undefined ? {} : { message: job.message }),
    submitTime: iso(job.submitTime),
    lastModifiedTime: iso(job.lastModifiedTime),
    ...(job.endTime === undefined ? {} : { endTime: iso(job.endTime) }),
    inputDataConfig: request.inputDataConfig,
    outputDataConfig: request.outputDataConfig,
    ...(request.vpcConfig === undefined ? {} : { vpcConfig: request.vpcConfig }),
    timeoutDurationInHours: request.timeoutDurationInHours ?? DEFAULT_TIMEOUT_HOURS,
    jobExpirationTime: iso(job.expirationTime),
    modelInvocationType: request.modelInvocationType ?? 'InvokeModel',
    ...job.counters,
  };
}

/** The timeout of a job created without `timeoutDurationInHours` (AWS's default appears to be 24 h). */
export const DEFAULT_TIMEOUT_HOURS = 24;

/**
 * Each pipeline function's size, timeout and environment (the variables its handler reads).
 */
import { Duration } from 'aws-cdk-lib';
import { COLLECT_MEMORY_MB, COLLECT_TIMEOUT_SECONDS } from '../lambda/core/collect/run-size';
import type { HandlerName } from './handler-names';

/** Where the Prepare function finds the bundled pipelines. */
const BUNDLED_PIPELINES_DIR = '/var/task/pipelines';

/** One function's settings. */
export interface FunctionSpec {
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly bundlePipelines?: boolean;
  /** @default 512 (Lambda's default) */
  readonly ephemeralStorageMiB?: number;
}

/** What the specs are made from. */
interface FunctionSpecsProps {
  readonly inputBucketName: string;
  readonly workBucketName: string;
  readonly resultsBucketName: string;
  readonly bedrockRoleArn: string;
  /** @default - no `OUTPUT_KMS_KEY_ID` (Bedrock's output uses the bucket's encryption) */
  readonly encryptionKeyArn?: string;
  /** @default - no `MAX_RUN_HOURS` (Check job decides) */
  readonly maxRunHours?: number;
  /** Collect's ephemeral storage, also given to Prepare (`COLLECT_STORAGE_MIB`) to check dedupe's carry store. */
  readonly collectStorageMiB: number;
  /** @default - no `ON_DEMAND_CONCURRENCY` (Invoke on demand's own default) */
  readonly onDemandConcurrency?: number;
}

/** Every function's spec, by handler name. */
export function functionSpecs(props: FunctionSpecsProps): Record<HandlerName, FunctionSpec> {
  const buckets = {
    INPUT_BUCKET: props.inputBucketName,
    WORK_BUCKET: props.workBucketName,
    RESULTS_BUCKET: props.resultsBucketName,
  };
  return {
    'start-run': {
      description: 'Starts one pipeline run per CSV dropped into the inbox',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: { INPUT_BUCKET: buckets.INPUT_BUCKET },
    },
    'prepare-input': {
      description: 'Validates the CSV and writes the JSONL shards of a run',
      memorySize: 2048,
      timeout: Duration.minutes(15),
      // .xlsx and .parquet inputs are copied to /tmp (random access) and large shared-string tables spill there.
      ephemeralStorageMiB: 10240,
      environment: {
        WORK_BUCKET: buckets.WORK_BUCKET,
        // A re-run reads the previous run's summary.json and results.jsonl.
        RESULTS_BUCKET: buckets.RESULTS_BUCKET,
        PIPELINES_DIR: BUNDLED_PIPELINES_DIR,
        // Prepare refuses a dedupe run whose carried answers could not fit Collect's /tmp (carry-bound.ts).
        COLLECT_STORAGE_MIB: String(props.collectStorageMiB),
      },
      bundlePipelines: true,
    },
    'submit-job': {
      description: 'Creates one Bedrock batch inference job for one shard',
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: {
        WORK_BUCKET: buckets.WORK_BUCKET,
        BEDROCK_ROLE_ARN: props.bedrockRoleArn,
        ...(props.encryptionKeyArn ? { OUTPUT_KMS_KEY_ID: props.encryptionKeyArn } : {}),
      },
    },
    'check-job': {
      description: 'Reads a batch job status and decides the next step',
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: props.maxRunHours === undefined ? {} : { MAX_RUN_HOURS: String(props.maxRunHours) },
    },
    'collect-results': {
      description: 'Joins the batch output with the input rows and writes the results files',
      memorySize: COLLECT_MEMORY_MB,
      // Prepare refuses a run too large for Collect to read in this time (RUN_TOO_LARGE).
      timeout: Duration.seconds(COLLECT_TIMEOUT_SECONDS),
      environment: { WORK_BUCKET: buckets.WORK_BUCKET, RESULTS_BUCKET: buckets.RESULTS_BUCKET },
      ephemeralStorageMiB: props.collectStorageMiB,
    },
    'record-failure': {
      description: 'Writes the failure report of a run and tags its input file',
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: { RESULTS_BUCKET: buckets.RESULTS_BUCKET },
    },
    'stop-jobs': {
      description: 'Stops the Bedrock jobs of a run whose execution ended without succeeding',
      memorySize: 256,
      timeout: Duration.minutes(5),
      environment: {},
    },
    'invoke-on-demand': {
      description: 'Runs one small shard through the Bedrock runtime API instead of a batch job',
      memorySize: 512,
      timeout: Duration.minutes(15),
      environment: {
        WORK_BUCKET: buckets.WORK_BUCKET,
        ...(props.onDemandConcurrency === undefined
          ? {}
          : { ON_DEMAND_CONCURRENCY: String(props.onDemandConcurrency) }),
      },
    },
    'plan-retry': {
      description: 'Finds the rows that deserve a second round and writes its inputs',
      memorySize: 1024,
      timeout: Duration.minutes(15),
      environment: { WORK_BUCKET: buckets.WORK_BUCKET },
    },
    'record-job': {
      description: 'Writes the result of one batch job or on-demand invocation of a run',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: { WORK_BUCKET: buckets.WORK_BUCKET },
    },
  };
}

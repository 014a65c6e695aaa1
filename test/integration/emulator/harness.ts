/** A real embedded S3 plus the Bedrock emulator, and an unmodified Bedrock client pointed at it. */
import {
  BedrockClient,
  CreateModelInvocationJobCommand,
  type CreateModelInvocationJobCommandInput,
} from '@aws-sdk/client-bedrock';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  type BedrockEmulator,
  type BedrockEmulatorOptions,
  type JobView,
  type ManualClock,
  startBedrockEmulator,
} from '../../../local/bedrock/index';
import { TERMINAL_STATUSES } from '../../../local/bedrock/patterns';
import { type S3Server, startS3Server } from '../../../local/s3-server';

/** Buckets every harness has. */
export const INPUT_BUCKET = 'emulator-input';
export const OUTPUT_BUCKET = 'emulator-output';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/BedrockBatchRole';
export const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';

/** Everything a test talks to. */
export interface Harness {
  readonly s3Server: S3Server;
  readonly s3: S3Client;
  readonly emulator: BedrockEmulator;
  readonly bedrock: BedrockClient;
  close(): Promise<void>;
}

/** Starts S3 (with the two buckets) and an emulator with `options`. */
export async function startHarness(options: Omit<BedrockEmulatorOptions, 's3'> = {}): Promise<Harness> {
  const s3Server = await startS3Server({ buckets: [INPUT_BUCKET] });
  const s3 = s3Server.client();
  await s3.send(new CreateBucketCommand({ Bucket: OUTPUT_BUCKET }));
  const emulator = await startBedrockEmulator({ s3, ...options });
  const bedrock = new BedrockClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'dummy', secretAccessKey: 'dummy' },
    maxAttempts: 1,
  });
  return {
    s3Server,
    s3,
    emulator,
    bedrock,
    async close() {
      bedrock.destroy();
      await emulator.close();
      s3.destroy();
      await s3Server.close();
    },
  };
}

/** A Claude request body asking `text`. */
export function claudeInput(text: string): Record<string, unknown> {
  return {
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 300,
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  };
}

/** Writes a JSONL file of `count` Claude records (ids `R000001`...) and returns its key. */
export async function putRecords(
  s3: S3Client,
  key: string,
  count: number,
  input: (index: number) => unknown = (index) => claudeInput(`Question number ${index}`),
): Promise<string> {
  const lines = Array.from({ length: count }, (_, index) =>
    JSON.stringify({ recordId: `R${String(index + 1).padStart(6, '0')}`, modelInput: input(index) }),
  );
  await s3.send(new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: key, Body: `${lines.join('\n')}\n` }));
  return key;
}

/** A valid Create request reading `inputKey` (a key or a prefix) and writing under `out/`. */
export function createRequest(
  inputKey: string,
  overrides: Partial<CreateModelInvocationJobCommandInput> = {},
): CreateModelInvocationJobCommandInput {
  return {
    jobName: 'emulator-test-job',
    roleArn: ROLE_ARN,
    modelId: CLAUDE,
    inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${INPUT_BUCKET}/${inputKey}` } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${OUTPUT_BUCKET}/out/` } },
    ...overrides,
  };
}

/** The text of an output object. */
export async function readText(s3: S3Client, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key }));
  return out.Body!.transformToString('utf8');
}

/** The lines of a JSONL output object, parsed. */
export async function readLines(s3: S3Client, key: string): Promise<Record<string, unknown>[]> {
  const text = await readText(s3, key);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Waits (by polling the emulator's own view) until `predicate` holds for the job. */
export async function waitForJob(
  emulator: BedrockEmulator,
  jobArn: string,
  predicate: (job: ReturnType<BedrockEmulator['jobs']>[number]) => boolean,
): Promise<ReturnType<BedrockEmulator['jobs']>[number]> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const job = emulator.jobs().find((entry) => entry.jobArn === jobArn);
    if (job !== undefined && predicate(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`job ${jobArn} never reached the expected state`);
}

/** The job id at the end of an ARN. */
export const jobIdOf = (jobArn: string) => jobArn.slice(jobArn.lastIndexOf('/') + 1);

/** Advances `clock` by `stepMs` at a time until the job satisfies `predicate`. */
export async function driveJob(
  clock: ManualClock,
  emulator: BedrockEmulator,
  jobArn: string,
  stepMs: number,
  predicate: (job: ReturnType<BedrockEmulator['jobs']>[number]) => boolean,
): Promise<ReturnType<BedrockEmulator['jobs']>[number]> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const job = emulator.jobs().find((entry) => entry.jobArn === jobArn);
    if (job !== undefined && predicate(job)) return job;
    clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`job ${jobArn} never reached the expected state`);
}

/** Creates a job on `inputKey` and waits until it reaches a terminal status. */
export async function runToEnd(harness: Harness, inputKey: string, overrides = {}): Promise<JobView> {
  const { jobArn } = await harness.bedrock.send(
    new CreateModelInvocationJobCommand(createRequest(inputKey, overrides)),
  );
  return waitForJob(harness.emulator, jobArn!, (job) => TERMINAL_STATUSES.has(job.status));
}

/** Whether the output bucket holds `key`. */
export async function exists(harness: Harness, key: string): Promise<boolean> {
  try {
    await harness.s3.send(new HeadObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, INPUT_BUCKET, OUTPUT_BUCKET, putRecords, startHarness } from './harness';

const run = promisify(execFile);
const SCRIPT = join(__dirname, 'boto3_client.py');

interface CaseResult {
  readonly jobArn?: string;
  readonly code?: string;
  readonly status?: number;
  readonly message?: string;
}

/** Runs the boto3 client; a missing python3 or boto3 is a failure with a message that says what to install. */
async function boto3Cases(endpoint: string): Promise<Record<string, CaseResult>> {
  const args = [SCRIPT, endpoint, `s3://${INPUT_BUCKET}/boto3/`, `s3://${OUTPUT_BUCKET}/out/`];
  try {
    const { stdout } = await run('python3', args, {
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null' },
    });
    return JSON.parse(stdout) as Record<string, CaseResult>;
  } catch (error) {
    const e = error as { code?: string | number; stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error(
        'python3 is not on PATH: this test drives the emulator with boto3 (install python3 and boto3)',
      );
    }
    if (e.code === 3) throw new Error(`boto3 cannot be imported by python3 (pip install boto3): ${e.stderr}`);
    throw error;
  }
}

describe('an independent client (boto3, its own validation off) sees the refusals', () => {
  let h: Harness;
  let results: Record<string, CaseResult>;
  beforeAll(async () => {
    h = await startHarness();
    await putRecords(h.s3, 'boto3/records.jsonl', 100);
    results = await boto3Cases(h.emulator.endpoint);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a valid job (the client reaches the emulator)', () => {
    expect(results.valid?.jobArn).toMatch(
      /^arn:aws:bedrock:us-east-1:123456789012:model-invocation-job\/[a-z0-9]{12}$/,
    );
  });

  it('gets a ValidationException for an unknown model id', () => {
    expect(results.unknownModel).toMatchObject({ code: 'ValidationException', status: 400 });
    expect(results.unknownModel?.message).toContain('foo.bar-v9:0');
  });

  it('gets a ValidationException for each value the service model forbids', () => {
    const expected: Record<string, string> = {
      timeoutTooShort: "at 'timeoutDurationInHours'",
      timeoutTooLong: "at 'timeoutDurationInHours'",
      jobNameTooLong: "at 'jobName'",
      jobNamePattern: "at 'jobName'",
      tooManySubnets: "at 'vpcConfig.subnetIds'",
      badInvocationType: "at 'modelInvocationType'",
    };
    for (const [name, where] of Object.entries(expected)) {
      expect(results[name], name).toMatchObject({ code: 'ValidationException', status: 400 });
      expect(results[name]?.message, name).toContain(where);
    }
  });

  it('created only the valid job', () => {
    expect(h.emulator.jobs().map((job) => job.jobArn)).toEqual([results.valid?.jobArn]);
  });
});

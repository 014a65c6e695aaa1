import { type ChildProcess, spawn } from 'node:child_process';
import {
  BedrockClient,
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
} from '@aws-sdk/client-bedrock';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

function waitForReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/^ready$/m.test(out)) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`emulate exited early with ${code}: ${out}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('bedrock-batch emulate', () => {
  let child: ChildProcess;
  let stderr = '';
  beforeAll(() => {
    child = spawn(
      process.execPath,
      ['bin/bedrock-batch.mjs', 'emulate', '--s3-port', '0', '--bedrock-port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves both endpoints until SIGTERM, for an ordinary SDK client', async () => {
    const banner = await waitForReady(child);
    const s3Endpoint = /AWS_ENDPOINT_URL_S3=(\S+)/.exec(banner)?.[1];
    const bedrockEndpoint = /AWS_ENDPOINT_URL_BEDROCK=(\S+)/.exec(banner)?.[1];
    expect(s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bedrockEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner).toContain('AWS_ACCESS_KEY_ID=');
    expect(banner).toContain(`AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${bedrockEndpoint}\n`);

    const credentials = { accessKeyId: 'anything', secretAccessKey: 'anything' };
    const s3 = new S3Client({
      endpoint: s3Endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const bedrock = new BedrockClient({ endpoint: bedrockEndpoint, region: 'us-east-1', credentials });
    await s3.send(new CreateBucketCommand({ Bucket: 'my-batch-bucket' }));
    const lines = Array.from({ length: 100 }, (_, index) =>
      JSON.stringify({
        recordId: `CALL${String(index).padStart(7, '0')}`,
        modelInput: { prompt: `Say ${index}` },
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: 'my-batch-bucket', Key: 'in/calls.jsonl', Body: lines.join('\n') }),
    );
    const { jobArn } = await bedrock.send(
      new CreateModelInvocationJobCommand({
        jobName: 'cli-job',
        roleArn: 'arn:aws:iam::111122223333:role/AnyRole',
        modelId: 'meta.llama3-1-8b-instruct-v1:0',
        inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://my-batch-bucket/in/calls.jsonl' } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://my-batch-bucket/out/' } },
      }),
    );
    let status: string | undefined;
    for (let attempt = 0; attempt < 500 && status !== 'Completed'; attempt++) {
      status = (await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }))).status;
      if (status !== 'Completed') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe('Completed');
    const id = jobArn!.split('/').pop();
    const out = await s3.send(
      new GetObjectCommand({ Bucket: 'my-batch-bucket', Key: `out/${id}/calls.jsonl.out` }),
    );
    const records = (await out.Body!.transformToString())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(100);
    expect(records[0].modelOutput.generation).toMatch(/^\[emulated\]/);
    s3.destroy();
    bedrock.destroy();

    const exit = exitOf(child);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).not.toMatch(/Error/);
  });
});

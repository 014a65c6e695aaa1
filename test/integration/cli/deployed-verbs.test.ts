import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';
import { deliver, type LocalStack } from '../../../local/runner';
import { objectCreatedEvent } from '../../../local/runner/event';
import { LocalStacks, questionsCsv } from '../../helpers/local-stack';

/** Runs the CLI in-process; resolves to its exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const into = (chunks: string[]) =>
    ((chunk: unknown) => {
      chunks.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = into(out);
  process.stderr.write = into(err);
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
  }
}

describe('submit, status and results against the local emulated stack', () => {
  const stacks = new LocalStacks();
  const savedEnv = { ...process.env };
  let stack: LocalStack;
  let dir = '';
  let outputs: string;
  let succeededRun: string;
  let failedRun: string;

  beforeAll(async () => {
    stack = await stacks.start();
    dir = await mkdtemp(join(tmpdir(), 'cli-deployed-'));
    outputs = join(dir, 'cdk-outputs.json');
    await writeFile(
      outputs,
      JSON.stringify({
        SomeOtherStack: { ApiUrl: 'https://example.com' },
        BedrockBatchPipeline: {
          InputBucketName: stack.buckets.INPUT_BUCKET,
          ResultsBucketName: stack.buckets.RESULTS_BUCKET,
          WorkBucketName: stack.buckets.WORK_BUCKET,
          StateMachineArn: stack.stateMachineArn,
          NotificationTopicArn: 'arn:aws:sns:us-east-1:000000000000:notifications',
        },
      }),
    );
    // What a shell pointed at the local stack has: its endpoints, Region and (dummy) credentials.
    Object.assign(process.env, stack.environment);
    succeededRun = (await stacks.run(stack, questionsCsv(12), { fileName: 'cli ok.csv' })).outcome.runId!;
    failedRun = (await stacks.run(stack, 'id,question\n', { fileName: 'cli empty.csv' })).outcome.runId!;
  });
  afterAll(async () => {
    process.env = savedEnv;
    await stacks.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('status <runId> shows a succeeded run with its counts, tokens, cost and where the results are', async () => {
    const { code, stdout } = await cli('status', succeededRun, '--outputs', outputs);

    expect(code).toBe(0);
    expect(stdout).toContain(`run:      ${succeededRun}`);
    expect(stdout).toMatch(/^status: +SUCCEEDED$/m);
    expect(stdout).toContain(`input:    s3://${stack.buckets.INPUT_BUCKET}/inbox/shards/cli ok.csv`);
    expect(stdout).toMatch(/^started: +\d{4}-\d\d-\d\dT/m);
    expect(stdout).toMatch(/^rows: +12 \(ok 12, error 0, rejected 0, missing 0\)$/m);
    expect(stdout).toMatch(/^cost: .* batch vs .* on demand$/m);
    expect(stdout).toContain(
      `results:  s3://${stack.buckets.RESULTS_BUCKET}/results/shards/${succeededRun}/`,
    );
  });

  it('status <runId> shows a failed run with its code, reason and what to do', async () => {
    const { code, stdout } = await cli('status', failedRun, '--outputs', outputs);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^status: +FAILED$/m);
    expect(stdout).toMatch(/^code: +NO_RECORDS$/m);
    expect(stdout).toMatch(/^reason: +\S/m);
    expect(stdout).toMatch(/^to do: +The file has no data rows/m);
  });

  it('status without a run id lists the recent runs, newest first', async () => {
    const { code, stdout } = await cli('status', '--outputs', outputs);

    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN ID +STATUS +STARTED +STOPPED$/);
    const failedLine = lines.findIndex((line) => line.startsWith(`${failedRun} `));
    const okLine = lines.findIndex((line) => line.startsWith(`${succeededRun} `));
    expect(failedLine).toBeGreaterThan(0);
    expect(okLine).toBeGreaterThan(failedLine);
    expect(lines[okLine]).toMatch(/ SUCCEEDED +\d{4}-.*Z +\d{4}-.*Z$/);
    expect(lines[failedLine]).toContain(' FAILED ');
  });

  it('results <runId> downloads the four files of a succeeded run and exits 0', async () => {
    const out = join(dir, 'ok');
    const { code, stdout } = await cli('results', succeededRun, '--out', out, '--outputs', outputs);

    expect(code).toBe(0);
    expect(stdout).toContain('results.csv, results.jsonl, errors.csv, summary.json');
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.runId).toBe(succeededRun);
    expect((await readFile(join(out, 'results.csv'), 'utf8')).split('\n')[1]).toMatch(
      /^q1,What is 1 plus 1\?,/,
    );
    expect(existsSync(join(out, 'report.json'))).toBe(false);
  });

  it('results <runId> of a failed run downloads report.json, prints the code and exits 1', async () => {
    const out = join(dir, 'failed');
    const { code, stdout } = await cli('results', failedRun, '--out', out, '--outputs', outputs);

    expect(code).toBe(1);
    expect(stdout).toMatch(/code: +NO_RECORDS/);
    expect(JSON.parse(await readFile(join(out, 'report.json'), 'utf8')).code).toBe('NO_RECORDS');
  });

  it('results into a reused --out keeps no file of the other run; an --out that is a file exits 2', async () => {
    const out = join(dir, 'reused');
    expect((await cli('results', failedRun, '--out', out, '--outputs', outputs)).code).toBe(1);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    expect((await cli('results', succeededRun, '--out', out, '--outputs', outputs)).code).toBe(0);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')).runId).toBe(succeededRun);

    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const refused = await cli('results', succeededRun, '--out', file, '--outputs', outputs);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('submit uploads into inbox/<pipeline>/ and prints the run id that Start run gives the execution', async () => {
    const csv = join(dir, 'Q4 upload.csv');
    await writeFile(csv, questionsCsv(6));
    const { code, stdout } = await cli('submit', csv, '--pipeline', 'shards', '--outputs', outputs);

    expect(code).toBe(0);
    const key = 'inbox/shards/Q4 upload.csv';
    expect(stdout).toContain(`s3://${stack.buckets.INPUT_BUCKET}/${key}`);
    const runId = stdout.match(/^ {2}run id: +(\S+)$/m)?.[1];
    expect(runId).toMatch(/^Q4-upload-[0-9a-f]{12}$/);

    const head = await stack.s3.send(new HeadObjectCommand({ Bucket: stack.buckets.INPUT_BUCKET, Key: key }));
    const event = objectCreatedEvent(
      {
        bucket: stack.buckets.INPUT_BUCKET,
        key,
        size: head.ContentLength ?? 0,
        ...(head.ETag === undefined ? {} : { etag: head.ETag }),
        ...(head.VersionId === undefined ? {} : { versionId: head.VersionId }),
      },
      stack.region,
    );
    await deliver(stack, event);
    const execution = stack.sfn.executions().at(-1)!;
    expect(execution.name).toBe(runId);
    execution.abort();
    await execution.done;

    const status = await cli('status', runId!, '--outputs', outputs);
    expect(status.stdout).toMatch(/^status: +ABORTED$/m);
  });

  it('explains a missing outputs file and how to create it, exiting 1', async () => {
    const missing = join(dir, 'nowhere.json');
    for (const args of [
      ['status'],
      ['results', succeededRun, '--out', dir],
      ['submit', outputs, '--pipeline', 'x'],
    ]) {
      const { code, stderr } = await cli(...args, '--outputs', missing);
      expect(code, args.join(' ')).toBe(1);
      expect(stderr).toContain(`${missing} does not exist`);
      expect(stderr).toContain('npx cdk deploy --outputs-file cdk-outputs.json');
    }
  });

  it('says so for a run that does not exist, exiting 1', async () => {
    const { code, stderr } = await cli('status', 'nope-0123456789ab', '--outputs', outputs);
    expect(code).toBe(1);
    expect(stderr).toContain('No run nope-0123456789ab');
  });

  it.each([
    ['submit without --pipeline', ['submit', 'a.csv']],
    ['submit with a pipeline file instead of a name', ['submit', 'a.csv', '--pipeline', 'pipelines/qa.json']],
    ['submit of a CSV that does not exist', ['submit', 'missing.csv', '--pipeline', 'qa']],
    ['status with two run ids', ['status', 'a', 'b']],
    ['results without --out', ['results', 'a-0123456789ab']],
    ['results with an unknown option', ['results', 'a', '--out', 'o', '--fast']],
  ])('exits 2 on a usage error: %s', async (_name, args) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: bedrock-batch');
  });
});

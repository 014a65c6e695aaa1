/**
 * Downloads a run's files from the results bucket (`results/<pipeline>/<runId>/`) to a local folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { RESULT_FILES, resultsPrefix } from '../../lambda/core/contract/layout';
import type { LocalStack } from './stack';

/**
 * Copies each results file that exists (results.csv, results.jsonl, errors.csv, summary.json,
 * report.json, report.html) into `outDir`; resolves to file name → local path.
 */
export async function downloadResults(
  stack: Pick<LocalStack, 's3' | 'buckets'>,
  pipeline: string,
  runId: string,
  outDir: string,
): Promise<Record<string, string>> {
  await mkdir(outDir, { recursive: true });
  const prefix = resultsPrefix(pipeline, runId);
  const files: Record<string, string> = {};
  for (const name of Object.values(RESULT_FILES)) {
    let body: Uint8Array;
    try {
      const object = await stack.s3.send(
        new GetObjectCommand({ Bucket: stack.buckets.RESULTS_BUCKET, Key: `${prefix}${name}` }),
      );
      body = await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') continue;
      throw error;
    }
    const path = join(outDir, name);
    await writeFile(path, body);
    files[name] = path;
  }
  return files;
}

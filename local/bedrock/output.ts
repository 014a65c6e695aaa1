/** Bedrock's output layout: `<prefix><jobId>/<input name>.out` per input file and `manifest.json.out`. */
import { HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type InputFile, JobFailure, parseS3Uri, type S3Location } from './input';
import { hash32, shuffled } from './random';

/** One output line: the record echoed with its model output or its error. */
export type OutputLine =
  | { readonly recordId: string; readonly modelInput: unknown; readonly modelOutput: unknown }
  | {
      readonly recordId: string;
      readonly modelInput: unknown;
      readonly error: { readonly errorCode: number; readonly errorMessage: string };
    };

/** The fields of `manifest.json.out`. */
export interface Manifest {
  readonly totalRecordCount: number;
  readonly processedRecordCount: number;
  readonly successRecordCount: number;
  readonly errorRecordCount: number;
  readonly inputTokenCount: number;
  readonly outputTokenCount: number;
}

/** Where a job's outputs go: the output URI's bucket, and its prefix followed by the job id. */
export function outputFolder(outputUri: string, jobId: string): S3Location {
  const { bucket, key } = parseS3Uri(outputUri);
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  return { bucket, key: `${prefix}${jobId}/` };
}

/** Fails the job when the output bucket does not exist or cannot be reached. */
export async function checkOutputBucket(s3: S3Client, outputUri: string): Promise<void> {
  const { bucket } = parseS3Uri(outputUri);
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    throw new JobFailure(`Unable to access the output location ${outputUri}: ${(error as Error).name}`);
  }
}

/** Writes one `.out` per input file (lines shuffled by the seed), then the manifest. */
export async function writeOutputs(
  s3: S3Client,
  folder: S3Location,
  files: readonly InputFile[],
  linesPerFile: readonly (readonly OutputLine[])[],
  manifest: Manifest,
  seed: number,
): Promise<void> {
  for (const [index, file] of files.entries()) {
    const lines = shuffled(linesPerFile[index] ?? [], hash32(seed, folder.key, file.name));
    const body = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    await s3.send(
      new PutObjectCommand({ Bucket: folder.bucket, Key: `${folder.key}${file.name}.out`, Body: body }),
    );
  }
  await s3.send(
    new PutObjectCommand({
      Bucket: folder.bucket,
      Key: `${folder.key}manifest.json.out`,
      Body: JSON.stringify(manifest),
    }),
  );
}

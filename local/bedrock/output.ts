/**
 * Bedrock's output layout: `<prefix><jobId>/<input name>.out` per input file (the input's path below the
 * input prefix, so nested folders keep their place) and `manifest.json.out`.
 */
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

/**
 * Writes one `.out` per input file with the lines processed so far (shuffled by the seed). Called while
 * the job is InProgress too: the files grow as records are processed, as Bedrock's do.
 */
export async function writeRecordFiles(
  s3: S3Client,
  folder: S3Location,
  files: readonly InputFile[],
  linesPerFile: readonly (readonly OutputLine[])[],
  seed: number,
): Promise<void> {
  for (const [index, file] of files.entries()) {
    const lines = shuffled(linesPerFile[index] ?? [], hash32(seed, folder.key, file.name));
    const body = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    // The length is given so that an empty file (no line processed yet) is sent as an empty object and not
    // taken for a stream of unknown length.
    const Key = `${folder.key}${file.name}.out`;
    await s3.send(
      new PutObjectCommand({
        Bucket: folder.bucket,
        Key,
        Body: body,
        ContentLength: Buffer.byteLength(body),
      }),
    );
  }
}

/** Writes the final `.out` files, then the manifest (which appears only at the end). */
export async function writeOutputs(
  s3: S3Client,
  folder: S3Location,
  files: readonly InputFile[],
  linesPerFile: readonly (readonly OutputLine[])[],
  manifest: Manifest,
  seed: number,
): Promise<void> {
  await writeRecordFiles(s3, folder, files, linesPerFile, seed);
  await s3.send(
    new PutObjectCommand({
      Bucket: folder.bucket,
      Key: `${folder.key}manifest.json.out`,
      Body: JSON.stringify(manifest),
    }),
  );
}

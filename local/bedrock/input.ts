/** Validating a job's input: find the `.jsonl` files under the input S3 URI, check sizes and lines. */
import {
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { hashString } from './random';

/** True for S3's "no such key" answers (a HeadObject 404 has no error body, only the status). */
function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** A job failure found while validating or running: becomes the job's `message`. */
export class JobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFailure';
  }
}

/** An S3 location split into bucket and key (the key may be empty or a prefix). */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** Splits `s3://bucket/key`. */
export function parseS3Uri(uri: string): S3Location {
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** One input file of a job. */
export interface InputFile {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /**
   * The output name stem: the key's path below the input prefix (`pre/sub/a.jsonl` read from `pre/` →
   * `sub/a.jsonl`, written as `<jobId>/sub/a.jsonl.out`), or the key's last segment for a one-object input.
   */
  readonly name: string;
}

/** One input record. */
export interface InputRecord {
  readonly recordId: string;
  readonly modelInput: unknown;
  /** Bytes of the record's line (UTF-8, without the line break). */
  readonly bytes: number;
}

/** Limits checked during validation. */
export interface InputLimits {
  readonly minRecordsPerJob: number;
  readonly maxRecordsPerFile: number;
  readonly maxRecordsPerJob: number;
  readonly maxFileBytes: number;
  readonly maxJobBytes: number;
}

const baseName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

async function listPrefix(s3: S3Client, bucket: string, prefix: string): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      const name = key.slice(prefix.length);
      if (key.endsWith('.jsonl')) files.push({ bucket, key, size: object.Size ?? 0, name });
    }
  }
  return files;
}

/** The `.jsonl` files the input URI names: one object, or every `.jsonl` under a prefix. */
export async function findInputFiles(s3: S3Client, uri: string): Promise<InputFile[]> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    if (key !== '' && !key.endsWith('/')) {
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return [{ bucket, key, size: head.ContentLength ?? 0, name: baseName(key) }];
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      return await listPrefix(s3, bucket, `${key}/`);
    }
    return await listPrefix(s3, bucket, key);
  } catch (error) {
    throw new JobFailure(`Unable to access the input location ${uri}: ${(error as Error).name}`);
  }
}

/** Checks file count and sizes before reading anything. */
export function checkFiles(files: readonly InputFile[], uri: string, limits: InputLimits): void {
  if (files.length === 0) throw new JobFailure(`No .jsonl input files were found at ${uri}.`);
  for (const file of files) {
    if (!file.key.endsWith('.jsonl')) {
      throw new JobFailure(`Input file s3://${file.bucket}/${file.key} must have the .jsonl extension.`);
    }
    if (file.size > limits.maxFileBytes) {
      throw new JobFailure(
        `Input file s3://${file.bucket}/${file.key} is ${file.size} bytes, above the limit of ${limits.maxFileBytes} bytes per file.`,
      );
    }
  }
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > limits.maxJobBytes) {
    throw new JobFailure(
      `The job's input is ${total} bytes, above the limit of ${limits.maxJobBytes} bytes per job.`,
    );
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses one file's lines; a line that is not a record object fails the whole job (file-level check). */
function parseRecords(text: string, file: InputFile): InputRecord[] {
  const records: InputRecord[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const where = `line ${index + 1} of s3://${file.bucket}/${file.key}`;
    if (!isObject(value)) throw new JobFailure(`Invalid JSONL: ${where} is not a JSON object.`);
    if (!('modelInput' in value)) throw new JobFailure(`Invalid JSONL: ${where} has no modelInput field.`);
    if (value.recordId !== undefined && typeof value.recordId !== 'string') {
      throw new JobFailure(`Invalid JSONL: recordId on ${where} must be a string.`);
    }
    const recordId =
      value.recordId ?? hashString(11, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', file.key, index, line.length);
    records.push({ recordId, modelInput: value.modelInput, bytes: Buffer.byteLength(line) });
  }
  return records;
}

/** Reads and checks every file; returns the records per file. */
export async function readInput(
  s3: S3Client,
  files: readonly InputFile[],
  limits: InputLimits,
  modelId: string,
): Promise<InputRecord[][]> {
  const perFile: InputRecord[][] = [];
  for (const file of files) {
    const out = await s3.send(new GetObjectCommand({ Bucket: file.bucket, Key: file.key }));
    const records = parseRecords(await out.Body!.transformToString('utf8'), file);
    if (records.length > limits.maxRecordsPerFile) {
      throw new JobFailure(
        `Input file s3://${file.bucket}/${file.key} has ${records.length} records, above the limit of ${limits.maxRecordsPerFile} records per file.`,
      );
    }
    perFile.push(records);
  }
  const total = perFile.reduce((sum, records) => sum + records.length, 0);
  if (total < limits.minRecordsPerJob) {
    throw new JobFailure(
      `The job has ${total} records, below the minimum of ${limits.minRecordsPerJob} records per batch inference job for ${modelId}.`,
    );
  }
  if (total > limits.maxRecordsPerJob) {
    throw new JobFailure(
      `The job has ${total} records, above the limit of ${limits.maxRecordsPerJob} records per batch inference job for ${modelId}.`,
    );
  }
  return perFile;
}

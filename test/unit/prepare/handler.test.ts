import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceMissingError, UnknownPipelineError } from '../../../lambda/core/contract/errors';
import { handler } from '../../../lambda/prepare-input/index';

const s3 = mockClient(S3Client);
const event = {
  runId: 'book-0123456789ab',
  pipeline: 'qa-auditor',
  source: { bucket: 'in', key: 'inbox/qa-auditor/book.csv', versionId: 'v1' },
};

beforeEach(() => {
  s3.reset();
  process.env.PIPELINES_DIR = new URL('../../../pipelines', import.meta.url).pathname;
  process.env.WORK_BUCKET = 'work';
  process.env.COLLECT_STORAGE_MIB = '1434';
});
afterEach(() => {
  delete process.env.PIPELINES_DIR;
  delete process.env.WORK_BUCKET;
  delete process.env.COLLECT_STORAGE_MIB;
});

describe('prepare-input handler', () => {
  it('throws SourceMissingError when the object was deleted (matrix 23)', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    await expect(handler(event)).rejects.toThrow(SourceMissingError);
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'in',
      VersionId: 'v1',
    });
  });

  it('throws UnknownPipelineError naming the available pipelines', async () => {
    await expect(handler({ ...event, pipeline: 'nope' })).rejects.toThrow(UnknownPipelineError);
    await expect(handler({ ...event, pipeline: 'nope' })).rejects.toThrow(/qa-auditor/);
    await expect(handler({ ...event, pipeline: '../etc' })).rejects.toThrow(UnknownPipelineError);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });
});

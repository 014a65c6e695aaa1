import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Upload } from '@aws-sdk/lib-storage';
import { INBOX_PREFIX, s3Uri } from '../lambda/core/contract/layout';
import { runIdFor } from '../lambda/core/contract/run-id';
import type { SourceObject } from '../lambda/core/contract/types';
import { PIPELINE_NAME } from '../lambda/core/pipeline/pipeline';
import { OUTPUTS_OPTION, OUTPUTS_USAGE, withDeployed } from './deployed';
import { parseVerbArgs, required, UsageError, type Verb } from './usage';

const usage = [
  'Usage: bedrock-batch submit <csv> --pipeline <name> [--outputs <file>]',
  '',
  "Uploads the CSV to the deployed stack's input bucket as inbox/<name>/<file name>, which starts a run",
  'of pipeline <name>. Prints the key, the version id and the run id the run gets (also its execution',
  'name); follow it with `bedrock-batch status <run id>`. A file name not ending in .csv gets .csv added.',
  '',
  OUTPUTS_USAGE,
  '',
  'Exit codes: 0 uploaded, 1 the upload failed (reason printed), 2 usage error.',
].join('\n');

/** The key in the input bucket: `inbox/<pipeline>/<file name>`, `.csv` added when the name lacks it. */
function inboxKey(pipeline: string, csvPath: string): string {
  const name = basename(csvPath);
  return `${INBOX_PREFIX}${pipeline}/${/\.csv$/i.test(name) ? name : `${name}.csv`}`;
}

/** `bedrock-batch submit`: uploads a CSV into the deployed stack's inbox. */
export const submitVerb: Verb = {
  summary: 'upload a CSV into the inbox of a deployed stack',
  usage,
  async run(args) {
    const { values, positionals } = parseVerbArgs(
      args,
      { pipeline: { type: 'string' }, ...OUTPUTS_OPTION },
      1,
    );
    const csvPath = positionals[0]!;
    const pipeline = required(values.pipeline, 'pipeline');
    if (!PIPELINE_NAME.test(pipeline)) {
      throw new UsageError(
        `--pipeline takes a pipeline name (letters, digits, - and _; the file name in pipelines/ without .json), got ${JSON.stringify(pipeline)}`,
      );
    }
    if (!existsSync(csvPath) || !statSync(csvPath).isFile())
      throw new UsageError(`no such CSV file: ${csvPath}`);
    return withDeployed('submit', values.outputs, async ({ stack, s3 }) => {
      const key = inboxKey(pipeline, csvPath);
      const upload = new Upload({
        client: s3,
        params: {
          Bucket: stack.inputBucket,
          Key: key,
          Body: createReadStream(csvPath),
          ContentType: 'text/csv',
        },
        leavePartsOnError: false,
      });
      const done = await upload.done();
      const source: SourceObject = {
        bucket: stack.inputBucket,
        key,
        ...(done.VersionId ? { versionId: done.VersionId } : {}),
        ...(done.ETag ? { etag: done.ETag.replace(/"/g, '') } : {}),
      };
      const runId = runIdFor(source);
      process.stdout.write(
        [
          `Uploaded ${csvPath} to ${s3Uri(stack.inputBucket, key)}`,
          `  version: ${source.versionId ?? '(bucket not versioned)'}`,
          `  run id:  ${runId}`,
          `Follow it with: bedrock-batch status ${runId}`,
          '',
        ].join('\n'),
      );
      return 0;
    });
  },
};

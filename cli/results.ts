import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline as pipe } from 'node:stream/promises';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { RESULT_FILES, RESULTS_PREFIX, resultsPrefix, s3Uri } from '../lambda/core/contract/layout';
import { openObject } from '../lambda/io/s3';
import {
  type Deployed,
  describeRun,
  OUTPUTS_OPTION,
  OUTPUTS_USAGE,
  VerbFailure,
  withDeployed,
} from './deployed';
import { prepareOutDir, stage } from './files';
import { parseVerbArgs, required, type Verb } from './usage';

const usage = [
  'Usage: bedrock-batch results <runId> --out <dir> [--outputs <file>]',
  '',
  "Downloads a run's files from the deployed stack's results bucket (results/<pipeline>/<runId>/) into",
  '<dir>: results.csv, results.jsonl, errors.csv and summary.json, and report.json for a failed run.',
  '',
  OUTPUTS_USAGE,
  '',
  'Exit codes: 0 the run succeeded and its files are in <dir>, 1 the run failed (its code and reason are',
  'printed, report.json is in <dir>) or has no results yet, 2 usage error.',
].join('\n');

/** The run's pipeline: from its execution input, else from where its files are in the results bucket. */
async function pipelineOf(deployed: Deployed, runId: string): Promise<{ pipeline: string; status?: string }> {
  try {
    const { execution, input } = await describeRun(deployed, runId);
    if (input !== undefined)
      return { pipeline: input.pipeline, ...(execution.status ? { status: execution.status } : {}) };
  } catch (error) {
    if (!(error instanceof VerbFailure)) throw error;
  }
  const listed = await deployed.s3.send(
    new ListObjectsV2Command({
      Bucket: deployed.stack.resultsBucket,
      Prefix: RESULTS_PREFIX,
      Delimiter: '/',
    }),
  );
  for (const { Prefix } of listed.CommonPrefixes ?? []) {
    const pipeline = (Prefix ?? '').slice(RESULTS_PREFIX.length, -1);
    const files = await deployed.s3.send(
      new ListObjectsV2Command({
        Bucket: deployed.stack.resultsBucket,
        Prefix: resultsPrefix(pipeline, runId),
        MaxKeys: 1,
      }),
    );
    if ((files.KeyCount ?? 0) > 0) return { pipeline };
  }
  throw new VerbFailure(
    `No run ${runId}: no execution of that name and no files under ${s3Uri(deployed.stack.resultsBucket, RESULTS_PREFIX)}<pipeline>/${runId}/.`,
  );
}

/** Streams each of the run's files that exists into `outDir`; resolves to the names written. */
async function download(deployed: Deployed, prefix: string, outDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const name of Object.values(RESULT_FILES)) {
    const body = await openObject(deployed.s3, deployed.stack.resultsBucket, `${prefix}${name}`);
    if (body === undefined) continue;
    await pipe(body, createWriteStream(join(outDir, name)));
    written.push(name);
  }
  return written;
}

/** `bedrock-batch results`: downloads a run's files from a deployed stack. */
export const resultsVerb: Verb = {
  summary: "download a run's files from a deployed stack",
  usage,
  async run(args) {
    const { values, positionals } = parseVerbArgs(args, { out: { type: 'string' }, ...OUTPUTS_OPTION }, 1);
    const runId = positionals[0]!;
    const outDir = required(values.out, 'out');
    prepareOutDir(outDir);
    return withDeployed('results', values.outputs, async (deployed) => {
      const { pipeline, status } = await pipelineOf(deployed, runId);
      const prefix = resultsPrefix(pipeline, runId);
      const staging = stage(outDir);
      let written: string[];
      try {
        written = await download(deployed, prefix, staging.dir);
        if (written.length > 0) staging.publish(Object.values(RESULT_FILES));
      } finally {
        staging.discard();
      }
      if (written.length === 0) {
        throw new VerbFailure(
          status === 'RUNNING'
            ? `Run ${runId} is still running: no results yet (see \`bedrock-batch status ${runId}\`).`
            : `Run ${runId} has no files under ${s3Uri(deployed.stack.resultsBucket, prefix)}.`,
        );
      }
      process.stdout.write(
        `Downloaded ${s3Uri(deployed.stack.resultsBucket, prefix)} to ${outDir}: ${written.join(', ')}\n`,
      );
      if (!written.includes(RESULT_FILES.report)) return 0;
      const report = JSON.parse(await readFile(join(outDir, RESULT_FILES.report), 'utf8')) as Record<
        string,
        unknown
      >;
      process.stdout.write(
        [
          `Run ${runId} FAILED.`,
          `  code:   ${String(report.code ?? '?')}`,
          `  reason: ${String(report.message ?? '')}`,
          `  to do:  ${String(report.whatToDo ?? '')}`,
          '',
        ].join('\n'),
      );
      return 1;
    });
  },
};

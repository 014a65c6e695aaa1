import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PipelineError } from '../lambda/core/contract/errors';
import { RESULT_FILES } from '../lambda/core/contract/layout';
import { inputFormatOf } from '../lambda/core/input/format';
import { loadPipeline } from '../lambda/core/pipeline/pipeline';
import { checkRerun } from '../lambda/core/rerun/fingerprint';
import { FaultsFileError, readFaultsFile } from '../local/faults';
import { prepareOutDir, requireInputFile, stage } from './files';
import { fileSha256, readPreviousRun } from './resume';
import { parseVerbArgs, required, UsageError, type Verb } from './usage';

/**
 * The longest CSV file name (UTF-8 bytes) local mode takes: the embedded S3 stores each object as a file
 * whose name is the key's last part plus a suffix of up to 22 bytes, and file systems stop at 255.
 */
const LOCAL_MAX_FILE_NAME_BYTES = 200;

const usage = [
  'Usage: bedrock-batch local <csv> --pipeline <file> --out <dir> [--faults <file>] [--resume <dir>]',
  '',
  'Runs the whole pipeline on this machine, with no AWS account: the embedded S3 and the Bedrock',
  'emulator on 127.0.0.1, and the synthesized state machine run locally with the real handlers.',
  'The CSV goes to inbox/<pipeline>/ (the pipeline is the file name of --pipeline without .json).',
  'The input may also be an Excel workbook (.xlsx), JSON Lines (.jsonl) or Parquet (.parquet) file.',
  'Only that pipeline file and the prompt file it names are loaded.',
  '',
  'Writes results.csv, results.jsonl, errors.csv and summary.json to <dir> (report.json on failure);',
  'they replace those files of an earlier run in <dir> as one set (other files are left alone).',
  '--faults <file> injects Bedrock faults (see docs/local.md).',
  '--resume <dir> re-runs the earlier run whose results are in <dir>: its ok rows are carried over, only',
  'the others are sent; refused (exit 1) when the CSV or the pipeline changed since (docs/analyst.md).',
  '',
  'Exit codes: 0 the run succeeded (also with row errors), 1 the run failed (reason printed), 2 usage error.',
].join('\n');

/** The file's name in the inbox: its own, with `.csv` added when its extension is not an input format's. */
function inboxName(csvPath: string): string {
  const name = basename(csvPath);
  return inputFormatOf(name) !== undefined ? name : `${name}.csv`;
}

/**
 * A pipelines folder holding only `pipelineFile` and the prompt file it names (copied), so the local
 * stack deploys that one pipeline and nothing else that happens to sit beside it.
 */
function soloPipelinesDir(pipelineFile: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bedrock-batch-pipeline-'));
  const file = join(dir, basename(pipelineFile));
  copyFileSync(pipelineFile, file);
  const { promptFile } = JSON.parse(readFileSync(pipelineFile, 'utf8')) as { promptFile?: string };
  if (promptFile !== undefined) {
    mkdirSync(dirname(join(dir, promptFile)), { recursive: true });
    copyFileSync(join(dirname(pipelineFile), promptFile), join(dir, promptFile));
  }
  return { dir, file };
}

/** `bedrock-batch local`: one CSV through the whole pipeline on this machine. */
export const localVerb: Verb = {
  summary: 'run the whole pipeline on this machine',
  usage,
  async run(args) {
    const { values, positionals } = parseVerbArgs(
      args,
      {
        pipeline: { type: 'string' },
        out: { type: 'string' },
        faults: { type: 'string' },
        resume: { type: 'string' },
      },
      1,
    );
    const csvPath = positionals[0]!;
    const pipelineFile = required(values.pipeline, 'pipeline');
    const outDir = required(values.out, 'out');
    requireInputFile(csvPath, 'CSV file');
    requireInputFile(pipelineFile, 'pipeline file');
    if (!pipelineFile.endsWith('.json'))
      throw new UsageError(`--pipeline must be a .json file, got ${pipelineFile}`);
    const nameBytes = Buffer.byteLength(inboxName(csvPath));
    if (nameBytes > LOCAL_MAX_FILE_NAME_BYTES) {
      throw new UsageError(
        `the CSV file name is ${nameBytes} bytes; local mode takes names of at most ${LOCAL_MAX_FILE_NAME_BYTES} bytes (its embedded S3 keeps each object as a file), so copy it to a shorter name`,
        false,
      );
    }
    if (values.faults !== undefined) {
      try {
        await readFaultsFile(values.faults);
      } catch (error) {
        if (error instanceof FaultsFileError) throw new UsageError(error.message);
        throw error;
      }
    }
    const previous = values.resume === undefined ? undefined : readPreviousRun(values.resume);
    prepareOutDir(outDir);
    try {
      const pipeline = loadPipeline(pipelineFile);
      if (previous !== undefined) checkRerun(previous, { pipeline, inputSha256: await fileSha256(csvPath) });
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      process.stderr.write(`bedrock-batch local: ${error.code}: ${error.message}\n`);
      return 1;
    }
    const pipelines = soloPipelinesDir(pipelineFile);
    let staging: ReturnType<typeof stage>;
    try {
      staging = stage(outDir);
    } catch (error) {
      rmSync(pipelines.dir, { recursive: true, force: true });
      throw error;
    }
    const out = {
      write: (text: string) => process.stdout.write(text.replaceAll(staging.dir, outDir)),
      isTTY: process.stdout.isTTY,
    };
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      // Loaded here, not at the top: `local --help` and usage errors need no runner, S3 or emulator.
      const { runLocal } = await import('../local/runner');
      const outcome = await runLocal({
        csvPath,
        pipelineFile: pipelines.file,
        outDir: staging.dir,
        out,
        ...(values.faults === undefined ? {} : { faultsFile: values.faults }),
        ...(previous === undefined ? {} : { resume: { previousRunId: previous.runId, dir: values.resume! } }),
        signal: controller.signal,
      });
      staging.publish(Object.values(RESULT_FILES));
      return outcome.status === 'succeeded' ? 0 : 1;
    } catch (error) {
      if (controller.signal.aborted) {
        process.stderr.write('bedrock-batch local: interrupted; the local stack was stopped\n');
        return 130;
      }
      process.stderr.write(`bedrock-batch local: ${(error as Error).message}\n`);
      return 1;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      staging.discard();
      rmSync(pipelines.dir, { recursive: true, force: true });
    }
  },
};

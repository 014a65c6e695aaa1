import { existsSync, statSync } from 'node:fs';
import { FaultsFileError, readFaultsFile } from '../local/faults';
import { runLocal } from '../local/runner';
import { parseVerbArgs, required, UsageError, type Verb } from './usage';

const usage = [
  'Usage: bedrock-batch local <csv> --pipeline <file> --out <dir> [--faults <file>]',
  '',
  'Runs the whole pipeline on this machine, with no AWS account: the embedded S3 and the Bedrock',
  'emulator on 127.0.0.1, and the synthesized state machine run locally with the real handlers.',
  'The CSV goes to inbox/<pipeline>/ (the pipeline is the file name of --pipeline without .json;',
  'its folder holds the pipelines and their prompt files).',
  '',
  'Writes results.csv, results.jsonl, errors.csv and summary.json to <dir> (report.json on failure).',
  '--faults <file> injects Bedrock faults (see docs/local.md).',
  '',
  'Exit codes: 0 the run succeeded (also with row errors), 1 the run failed (reason printed), 2 usage error.',
].join('\n');

function requireFile(path: string, what: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`no such ${what}: ${path}`);
}

/** `bedrock-batch local`: one CSV through the whole pipeline on this machine. */
export const localVerb: Verb = {
  summary: 'run the whole pipeline on this machine',
  usage,
  async run(args) {
    const { values, positionals } = parseVerbArgs(
      args,
      { pipeline: { type: 'string' }, out: { type: 'string' }, faults: { type: 'string' } },
      1,
    );
    const csvPath = positionals[0]!;
    const pipelineFile = required(values.pipeline, 'pipeline');
    const outDir = required(values.out, 'out');
    requireFile(csvPath, 'CSV file');
    requireFile(pipelineFile, 'pipeline file');
    if (!pipelineFile.endsWith('.json'))
      throw new UsageError(`--pipeline must be a .json file, got ${pipelineFile}`);
    if (values.faults !== undefined) {
      try {
        await readFaultsFile(values.faults);
      } catch (error) {
        if (error instanceof FaultsFileError) throw new UsageError(error.message);
        throw error;
      }
    }
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      const outcome = await runLocal({
        csvPath,
        pipelineFile,
        outDir,
        ...(values.faults === undefined ? {} : { faultsFile: values.faults }),
        signal: controller.signal,
      });
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
    }
  },
};

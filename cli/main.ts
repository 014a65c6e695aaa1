import { PipelineError } from '../lambda/core/contract/errors';
import { fileErrorSentence } from './files';
import { UsageError, type Verb } from './usage';

const verbs: Record<string, () => Promise<Verb>> = {
  prepare: async () => (await import('./prepare')).prepareVerb,
  local: async () => (await import('./local')).localVerb,
  emulate: async () => (await import('./emulate')).emulateVerb,
  submit: async () => (await import('./submit')).submitVerb,
  status: async () => (await import('./status')).statusVerb,
  results: async () => (await import('./results')).resultsVerb,
  rerun: async () => (await import('./rerun')).rerunVerb,
};

function overview(): string {
  return [
    'Usage: bedrock-batch <verb> [options]',
    '',
    'Verbs:',
    '  prepare <csv> --pipeline <file> --out <dir>                 build the JSONL shards and print the plan',
    '  local <csv> --pipeline <file> --out <dir> [--faults <file>]  run the whole pipeline on this machine',
    '        [--resume <dir>]                                         ... sending only what the run in <dir> did not finish',
    '  emulate --s3-port <n> --bedrock-port <n>                     serve the embedded S3 and the Bedrock emulator',
    '',
    'Verbs for a deployed stack (they read cdk-outputs.json, see --outputs):',
    '  submit <csv> --pipeline <name>                               upload a CSV into the inbox; prints the run id',
    '  status [runId]                                               a run in detail, or the recent runs',
    "  results <runId> --out <dir>                                  download a run's files",
    '  rerun <runId>                                                re-run only the rows of a run that were not ok',
    '',
    'Run `bedrock-batch <verb> --help` for a verb.',
  ].join('\n');
}

/**
 * One line for an error no verb handled: the typed error's code and sentence, a file-system error as a
 * sentence naming the path, else the first line of the message. Never a stack trace.
 */
export function failureLine(error: unknown): string {
  if (error instanceof PipelineError) return `${error.code}: ${error.message}`;
  const fileError = fileErrorSentence(error);
  if (fileError !== undefined) return fileError;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] || 'unexpected failure';
}

/** Runs the CLI and resolves to the exit code: 0 success, 1 failure, 2 usage error. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${overview()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = verbs[name];
  if (load === undefined) {
    process.stderr.write(`bedrock-batch: unknown verb '${name}'\n\n${overview()}\n`);
    return 2;
  }
  const verb = await load();
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${verb.usage}\n`);
    return 0;
  }
  try {
    return await verb.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      const usage = error.showUsage ? `\n${verb.usage}\n` : '';
      process.stderr.write(`bedrock-batch ${name}: ${error.message}\n${usage}`);
      return 2;
    }
    process.stderr.write(`bedrock-batch ${name}: ${failureLine(error)}\n`);
    return 1;
  }
}

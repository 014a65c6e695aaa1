/**
 * `bedrock-batch local`: one CSV through the whole pipeline on this machine, with no AWS account.
 * Starts the local stack, runs the CSV, downloads the results, prints a summary, and tears it all down.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { inputFormatOf } from '../../lambda/core/input/format';
import { readFaultsFile } from '../faults';
import { ProgressReporter, type ProgressStream } from './progress';
import { type RunOutcome, runOnStack } from './run';
import { startLocalStack } from './stack';
import { formatOutcome, readSummary } from './summary';

export { deliver, type RunOutcome, runOnStack } from './run';
export { type LocalStack, startLocalStack } from './stack';

/** Options of {@link runLocal}. */
interface LocalRunOptions {
  readonly csvPath: string;
  /** `<dir>/<name>.json`: `<dir>` holds the pipelines, `<name>` is the inbox folder. */
  readonly pipelineFile: string;
  readonly outDir: string;
  readonly faultsFile?: string;
  /** Progress and the summary. @default process.stdout */
  readonly out?: ProgressStream;
  /** Aborts the run (SIGINT); everything is still torn down. */
  readonly signal?: AbortSignal;
  /** Variables set on top of the template's, for example `MAX_RUN_HOURS`. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Re-run an earlier local run whose results are in `dir` (`--resume`). */
  readonly resume?: { readonly previousRunId: string; readonly dir: string };
}

/** The pipeline name of a pipeline file: its base name without `.json`. */
function pipelineName(pipelineFile: string): string {
  return basename(pipelineFile, extname(pipelineFile));
}

/**
 * Runs the CSV locally and resolves to the outcome (the exit code is the caller's choice).
 *
 * @example await runLocal({ csvPath: 'examples/conversations.csv', pipelineFile: 'pipelines/qa-auditor.json', outDir: 'out' })
 */
export async function runLocal(options: LocalRunOptions): Promise<RunOutcome> {
  const out = options.out ?? process.stdout;
  const started = performance.now();
  const faults = options.faultsFile === undefined ? undefined : await readFaultsFile(options.faultsFile);
  const body = await readFile(options.csvPath);
  const stack = await startLocalStack({
    pipelinesDir: dirname(options.pipelineFile),
    ...(faults === undefined ? {} : { faults }),
    ...(options.environment === undefined ? {} : { environment: options.environment }),
  });
  const progress = new ProgressReporter(out, () => stack.clock.elapsed);
  out.write(
    `Functions: the bundles of ${stack.assembly.dir} (${stack.assembly.cached ? 'unchanged sources, reused' : 'synthesized now'})\n`,
  );
  try {
    const run = runOnStack(stack, {
      body,
      fileName: inboxFileName(options.csvPath),
      pipeline: pipelineName(options.pipelineFile),
      outDir: options.outDir,
      onEvent: (event) => progress.onEvent(event),
      ...(options.resume === undefined ? {} : { resume: options.resume }),
    });
    run.catch(() => undefined);
    const outcome = await abortable(run, options.signal);
    progress.finish();
    const summary = await readSummary(outcome);
    out.write(`${formatOutcome(outcome, summary, options.outDir, performance.now() - started).join('\n')}\n`);
    return outcome;
  } finally {
    progress.finish();
    await stack.close();
  }
}

/** The file's name in the inbox: its own, with `.csv` added when it has another extension (S3 only sends `.csv`). */
function inboxFileName(csvPath: string): string {
  const name = basename(csvPath);
  return inputFormatOf(name) !== undefined ? name : `${name}.csv`;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('The local run was interrupted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

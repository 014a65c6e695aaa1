/** `bedrock-batch rerun <runId>`: a new run of the same input that sends only the rows not `ok` before. */
import { RESULT_FILES, resultsPrefix } from '../lambda/core/contract/layout';
import { rerunInput } from '../lambda/core/rerun/rerun-input';
import { getJson } from '../lambda/io/s3';
import { startRun } from '../lambda/io/sfn';
import { describeRun, OUTPUTS_OPTION, OUTPUTS_USAGE, VerbFailure, withDeployed } from './deployed';
import { parseVerbArgs, type Verb } from './usage';

const usage = [
  'Usage: bedrock-batch rerun <runId> [--outputs <file>]',
  '',
  'Starts a re-run of run <runId>: the same input object and pipeline; the rows that were ok are carried',
  'over into the new results (marked reused_from in results.jsonl), only the others are sent and billed.',
  'Prints the new run id (<name>-r2-<hash>; a re-run of a re-run counts on). The run fails with',
  'RERUN_REFUSED, billing nothing, when the input object or the pipeline changed since <runId>.',
  '',
  OUTPUTS_USAGE,
  '',
  'Exit codes: 0 started (or already started), 1 no such run or no results yet (reason printed), 2 usage error.',
].join('\n');

/** `bedrock-batch rerun`. */
export const rerunVerb: Verb = {
  summary: 'send again only the rows of a run that did not succeed',
  usage,
  async run(args) {
    const { values, positionals } = parseVerbArgs(args, { ...OUTPUTS_OPTION }, 1);
    const runId = positionals[0]!;
    return withDeployed('rerun', values.outputs, async (deployed) => {
      const { input } = await describeRun(deployed, runId);
      if (input === undefined) {
        throw new VerbFailure(
          `Run ${runId} was not started by this stack's inbox or rerun: no input to re-run.`,
        );
      }
      const summaryKey = `${resultsPrefix(input.pipeline, runId)}${RESULT_FILES.summary}`;
      if ((await getJson<unknown>(deployed.s3, deployed.stack.resultsBucket, summaryKey)) === undefined) {
        throw new VerbFailure(`Run ${runId} has no results yet (no ${summaryKey}): wait for it to finish.`);
      }
      const next = rerunInput(input);
      const outcome = await startRun(deployed.sfn, deployed.stack.stateMachineArn, next);
      process.stdout.write(
        [
          `${outcome === 'started' ? 'Started' : 'Already started'} re-run ${next.runId} of ${runId}`,
          `Follow it with: bedrock-batch status ${next.runId}`,
          '',
        ].join('\n'),
      );
      return 0;
    });
  },
};

import { parseArgs } from 'node:util';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { RESULT_FILES, resultsPrefix, s3Uri } from '../lambda/core/contract/layout';
import { getJson } from '../lambda/io/s3';
import { type Deployed, describeRun, OUTPUTS_OPTION, OUTPUTS_USAGE, withDeployed } from './deployed';
import { UsageError, type Verb } from './usage';

/** How many runs `status` without a run id lists. */
const RECENT_RUNS = 20;

const usage = [
  'Usage: bedrock-batch status [runId] [--outputs <file>]',
  '',
  "With a run id: the run's status, start and stop times, and for a finished run its row counts, tokens",
  'and cost from summary.json, or its error code, reason and what to do from report.json.',
  `Without: the ${RECENT_RUNS} most recent runs of the deployed stack, newest first.`,
  '',
  OUTPUTS_USAGE,
  '',
  'Exit codes: 0 shown, 1 no such run or an AWS error (reason printed), 2 usage error.',
].join('\n');

interface SummaryFile {
  readonly counts?: Record<string, number>;
  readonly tokens?: { readonly input?: number; readonly output?: number };
  readonly cost?: { readonly batchUsd?: number | null; readonly onDemandUsd?: number | null };
}

interface ReportFile {
  readonly code?: string;
  readonly message?: string;
  readonly whatToDo?: string;
}

const time = (date: Date | undefined) => (date === undefined ? '-' : date.toISOString());
const usd = (value: number | null | undefined) =>
  value === null || value === undefined ? 'n/a (no price known for this model)' : `$${value.toFixed(4)}`;

/** The lines `status <runId>` prints after the status and times, from the run's summary.json and report.json. */
function resultLines(
  summary: SummaryFile | undefined,
  report: ReportFile | undefined,
  where: { bucket: string; prefix: string },
): string[] {
  const lines: string[] = [];
  if (report !== undefined) {
    lines.push(`code:     ${report.code ?? '?'}`);
    lines.push(`reason:   ${report.message ?? ''}`);
    if (report.whatToDo) lines.push(`to do:    ${report.whatToDo}`);
  }
  if (summary !== undefined) {
    const c = summary.counts ?? {};
    lines.push(
      `rows:     ${c.input ?? 0} (ok ${c.ok ?? 0}, error ${c.error ?? 0}, rejected ${c.rejected ?? 0}, missing ${c.missing ?? 0})`,
    );
    lines.push(`tokens:   ${summary.tokens?.input ?? 0} in, ${summary.tokens?.output ?? 0} out`);
    lines.push(
      `cost:     ${usd(summary.cost?.batchUsd)} batch vs ${usd(summary.cost?.onDemandUsd)} on demand`,
    );
  }
  if (summary !== undefined || report !== undefined)
    lines.push(`results:  ${s3Uri(where.bucket, where.prefix)}`);
  return lines;
}

async function showRun(deployed: Deployed, runId: string): Promise<number> {
  const { execution, input } = await describeRun(deployed, runId);
  const lines = [`run:      ${runId}`, `status:   ${execution.status}`];
  if (input !== undefined) {
    lines.push(`pipeline: ${input.pipeline}`, `input:    ${s3Uri(input.source.bucket, input.source.key)}`);
  }
  lines.push(`started:  ${time(execution.startDate)}`, `stopped:  ${time(execution.stopDate)}`);
  if (execution.status !== 'RUNNING' && input !== undefined) {
    const where = { bucket: deployed.stack.resultsBucket, prefix: resultsPrefix(input.pipeline, runId) };
    const read = <T>(name: string) => getJson<T>(deployed.s3, where.bucket, `${where.prefix}${name}`);
    const [summary, report] = await Promise.all([
      read<SummaryFile>(RESULT_FILES.summary),
      read<ReportFile>(RESULT_FILES.report),
    ]);
    lines.push(...resultLines(summary, report, where));
    if (report === undefined && execution.status !== 'SUCCEEDED') {
      lines.push(`error:    ${execution.error ?? execution.status}`, `cause:    ${execution.cause ?? ''}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function listRuns(deployed: Deployed): Promise<number> {
  const { executions = [] } = await deployed.sfn.send(
    new ListExecutionsCommand({ stateMachineArn: deployed.stack.stateMachineArn, maxResults: RECENT_RUNS }),
  );
  if (executions.length === 0) {
    process.stdout.write(`No runs yet in ${deployed.stack.stackName}.\n`);
    return 0;
  }
  const width = Math.max(6, ...executions.map((e) => (e.name ?? '').length));
  const row = (name: string, status: string, started: string, stopped: string) =>
    `${name.padEnd(width)}  ${status.padEnd(9)}  ${started.padEnd(24)}  ${stopped}`.trimEnd();
  const lines = [
    row('RUN ID', 'STATUS', 'STARTED', 'STOPPED'),
    ...executions.map((e) => row(e.name ?? '', e.status ?? '', time(e.startDate), time(e.stopDate))),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** `bedrock-batch status`: one run of the deployed stack in detail, or the most recent runs. */
export const statusVerb: Verb = {
  summary: 'show a run of a deployed stack, or its recent runs',
  usage,
  async run(args) {
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OUTPUTS_OPTION; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args: [...args], options: OUTPUTS_OPTION, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.positionals.length > 1) {
      throw new UsageError(`expected at most 1 argument (a run id), got ${parsed.positionals.length}`);
    }
    const [runId] = parsed.positionals;
    return withDeployed('status', parsed.values.outputs, (deployed) =>
      runId === undefined ? listRuns(deployed) : showRun(deployed, runId),
    );
  },
};

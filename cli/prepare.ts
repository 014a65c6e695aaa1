import { createReadStream } from 'node:fs';
import { PipelineError } from '../lambda/core/contract/errors';
import { LOCAL_KEYS } from '../lambda/core/contract/layout';
import { loadPipeline } from '../lambda/core/pipeline/pipeline';
import { fileSinks } from '../lambda/core/prepare/file-sink';
import type { Plan } from '../lambda/core/prepare/plan';
import { prepare } from '../lambda/core/prepare/prepare';
import { prepareOutDir, requireInputFile, stage } from './files';
import { parseVerbArgs, required, type Verb } from './usage';

/** What prepare writes into `--out`; an earlier run's copies are replaced as one set. */
const PREPARE_OUTPUTS = ['batch-input', 'rows', 'pipeline.json', 'plan.json'] as const;

const usage = [
  'Usage: bedrock-batch prepare <csv> --pipeline <file> --out <dir>',
  '',
  'The input may also be an Excel workbook (.xlsx), JSON Lines (.jsonl) or Parquet (.parquet) file.',
  '',
  'Builds the JSONL shards Bedrock would receive, without calling AWS, and prints the plan.',
  'Writes <dir>/batch-input/shard-NNNN.jsonl, <dir>/rows/shard-NNNN.jsonl, <dir>/rows/rejected.jsonl,',
  '<dir>/pipeline.json and <dir>/plan.json; these replace the same files of an earlier prepare in <dir>',
  '(other files are left alone), and a failed prepare leaves <dir> as it was.',
  '',
  'Exit codes: 0 prepared, 1 the file or pipeline was rejected (the reason is printed), 2 usage error.',
].join('\n');

function money(value: number | null): string {
  return value === null ? 'unknown (model not in the price table)' : `$${value.toFixed(4)}`;
}

/** The plan as a person reads it. */
function formatPlan(plan: Plan): string {
  const e = plan.estimate;
  const lines = [
    `pipeline      ${plan.pipeline} (${plan.modelId}, ${plan.invocationType})`,
    `rows          ${plan.rows}`,
    `records       ${plan.records}`,
    `rejected      ${plan.rejected}${plan.rejected > 0 ? ` (see ${plan.rejectedKey})` : ''}`,
    ...(plan.dedupe === undefined
      ? []
      : [`duplicates    ${plan.dedupe.duplicates} rows answered by an identical row's record (dedupe on)`]),
    `shards        ${plan.shards.length}${plan.shards.map((s) => `\n  shard ${s.shard}: ${s.records} records, ${s.bytes} bytes`).join('')}`,
    `input tokens  ~${e.inputTokens} (${e.method})`,
    `input cost    batch ${money(e.inputCostUsd.batch)} vs on-demand ${money(e.inputCostUsd.onDemand)}`,
    `max cost      batch ${money(e.maxCostUsd.batch)} vs on-demand ${money(e.maxCostUsd.onDemand)} (every answer at maxTokens)`,
  ];
  if (e.pricesAsOf !== null) lines.push(`prices as of  ${e.pricesAsOf}`);
  if (plan.belowMinimum) {
    lines.push(
      `warning       ${plan.records} records is below the batch minimum of ${plan.minRecordsPerJob}: no batch job can be created`,
    );
  }
  return lines.join('\n');
}

/** `bedrock-batch prepare`: the Prepare step on a local file. */
export const prepareVerb: Verb = {
  summary: 'build the JSONL shards and print the plan',
  usage,
  async run(args) {
    const { values, positionals } = parseVerbArgs(
      args,
      { pipeline: { type: 'string' }, out: { type: 'string' } },
      1,
    );
    const csv = positionals[0]!;
    const pipelineFile = required(values.pipeline, 'pipeline');
    const out = required(values.out, 'out');
    requireInputFile(csv, 'CSV file');
    requireInputFile(pipelineFile, 'pipeline file');
    prepareOutDir(out);
    const staging = stage(out);
    try {
      const pipeline = loadPipeline(pipelineFile);
      // Opened only when read: workbooks and Parquet files are read from the path instead.
      const bytes = {
        [Symbol.asyncIterator]: () =>
          createReadStream(csv, { highWaterMark: 1 << 20 })[Symbol.asyncIterator](),
      };
      const plan = await prepare(bytes, {
        input: { name: csv, path: csv },
        pipeline,
        sinks: fileSinks(staging.dir),
        keys: LOCAL_KEYS,
      });
      staging.publish(PREPARE_OUTPUTS);
      process.stdout.write(`${formatPlan(plan)}\nwritten to    ${out}\n`);
      return 0;
    } catch (error) {
      if (error instanceof PipelineError) {
        process.stderr.write(`bedrock-batch prepare: ${error.code}: ${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      staging.discard();
    }
  },
};

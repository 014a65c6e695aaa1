/**
 * A simulated 200-shard file through the local runner (issue 7, item 7): 400 tiny records, a pipeline of
 * at most 2 records per job, the Bedrock emulator with a 1-record minimum and 20 concurrent jobs. Checks
 * that 200 jobs ran and every row is ok, and prints the history arithmetic: the parent execution's events
 * (constant in the number of shards, because "Run batch jobs" is a Distributed Map) against what one
 * execution with an inline Map would record. Data goes to bench/.data/scale (gitignored); figures go to
 * bench/RESULTS.md.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runOnStack, startLocalStack } from '../local/runner';
import { DistributedMapHistory } from '../local/runner/map-history';
import { machineDescription } from './machine';

// Jobs of 2 records are below Bedrock's minimum of 100: lower it for the emulator only, as the emulator's
// minRecordsPerJob fault below does (docs/pipelines.md).
process.env.BEDROCK_BATCH_EMULATOR_MIN_RECORDS = '1';

const SHARDS = Number(process.env.BENCH_SCALE_SHARDS ?? 200);
const RECORDS_PER_SHARD = 2;
const dir = join(import.meta.dirname, '.data', 'scale');
const pipelinesDir = join(dir, 'pipelines');
const outDir = join(dir, 'out');

rmSync(dir, { recursive: true, force: true });
mkdirSync(pipelinesDir, { recursive: true });
writeFileSync(
  join(pipelinesDir, 'many-shards.json'),
  JSON.stringify({
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    promptTemplate: 'Answer briefly.\nQuestion: {{question}}',
    idColumn: 'id',
    maxTokens: 50,
    temperature: 0,
    minRecordsPerJob: 1,
    maxRecordsPerJob: RECORDS_PER_SHARD,
  }),
);
const rows = SHARDS * RECORDS_PER_SHARD;
const csv = ['id,question', ...Array.from({ length: rows }, (_, i) => `q${i + 1},What is ${i + 1} plus 1?`)];

const started = performance.now();
const stack = await startLocalStack({ pipelinesDir, faults: { minRecordsPerJob: 1, maxConcurrentJobs: 20 } });
const ready = performance.now();
const history = new DistributedMapHistory(stack.definition);
let checks = 0;
stack.onEvent((event) => {
  history.add(event);
  if (event.type === 'StateEntered' && event.state?.name === 'Check job') checks += 1;
});
try {
  const outcome = await runOnStack(stack, {
    body: `${csv.join('\n')}\n`,
    fileName: 'scale.csv',
    pipeline: 'many-shards',
    outDir,
  });
  const finished = performance.now();
  const jobs = stack.bedrock.jobs();
  const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as {
    counts: Record<string, number>;
  };
  const ok =
    outcome.status === 'succeeded' &&
    jobs.length === SHARDS &&
    jobs.every((job) => job.status === 'Completed') &&
    summary.counts.ok === rows;
  process.stdout.write(
    [
      `machine         ${machineDescription()}, load ${loadavg()[0]?.toFixed(2)}`,
      `shards          ${SHARDS} (${rows} rows), jobs ${jobs.length}, outcome ${outcome.status}`,
      `counts          ${JSON.stringify(summary.counts)}`,
      `Check job runs  ${checks} (${(checks / SHARDS).toFixed(1)} per job)`,
      `history         parent ${history.parent}, largest child ${history.largestChild}, ` +
        `inline Map would be ${history.inline}`,
      `simulated time  ${(outcome.simulatedMs / 3_600_000).toFixed(1)} h`,
      `wall time       start ${((ready - started) / 1000).toFixed(2)} s, ` +
        `run ${((finished - ready) / 1000).toFixed(2)} s`,
      '',
    ].join('\n'),
  );
  if (!ok) process.exitCode = 1;
} finally {
  await stack.close();
}

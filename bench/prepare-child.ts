/**
 * One measured run in a fresh process: `prepare` (the CLI's core), `prepare-null` (the same, output
 * discarded: CPU cost alone), `copy` (a raw Node stream copy) or
 * `csv-parse` (the csv-parse streaming parser alone). Prints one JSON line: {seconds, cpuSeconds, maxRssMb}.
 */
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { LOCAL_KEYS } from '../lambda/core/contract/layout';
import { loadPipeline } from '../lambda/core/pipeline/pipeline';
import { fileSinks } from '../lambda/core/prepare/file-sink';
import { prepare } from '../lambda/core/prepare/prepare';
import type { SinkFactory } from '../lambda/core/prepare/sink';

const [mode, csv, out, pipelineFile] = process.argv.slice(2) as [string, string, string, string];
rmSync(out, { recursive: true, force: true });
const started = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
let detail: unknown;
const discard: SinkFactory = {
  open: () => ({ write: async () => undefined, close: async () => undefined, abort: async () => undefined }),
};
if (mode === 'prepare' || mode === 'prepare-null') {
  const plan = await prepare(createReadStream(csv, { highWaterMark: 1 << 20 }), {
    pipeline: loadPipeline(pipelineFile),
    sinks: mode === 'prepare' ? fileSinks(out) : discard,
    keys: LOCAL_KEYS,
  });
  detail = { rows: plan.rows, records: plan.records, shards: plan.shards.length };
} else if (mode === 'copy') {
  await pipeline(createReadStream(csv), createWriteStream(`${out}.copy`));
} else if (mode === 'csv-parse') {
  let rows = 0;
  for await (const _ of createReadStream(csv).pipe(parse({ bom: true }))) rows++;
  detail = { rows };
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
rmSync(`${out}.copy`, { force: true });
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024, detail })}\n`,
);

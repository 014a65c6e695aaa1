/**
 * One measured run in a fresh process: `prepare <file>` through Prepare's core with the file's format
 * (as `bedrock-batch prepare` runs it), or `read <file>` (the format's reader alone, rows counted).
 * Prints one JSON line: {seconds, cpuSeconds, maxRssMb, detail}.
 */
import { createReadStream, rmSync } from 'node:fs';
import { LOCAL_KEYS } from '../lambda/core/contract/layout';
import { openRowSource } from '../lambda/core/input/source';
import { loadPipeline } from '../lambda/core/pipeline/pipeline';
import { fileSinks } from '../lambda/core/prepare/file-sink';
import { MAX_RECORD_BYTES } from '../lambda/core/prepare/limits';
import { prepare } from '../lambda/core/prepare/prepare';

const [mode, file, out, pipelineFile] = process.argv.slice(2) as [string, string, string, string];
rmSync(out, { recursive: true, force: true });
const started = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const bytes = {
  [Symbol.asyncIterator]: () => createReadStream(file, { highWaterMark: 1 << 20 })[Symbol.asyncIterator](),
};
let detail: unknown;
if (mode === 'prepare') {
  const plan = await prepare(bytes, {
    pipeline: loadPipeline(pipelineFile),
    sinks: fileSinks(out),
    keys: LOCAL_KEYS,
    input: { name: file, path: file },
  });
  detail = { rows: plan.rows, records: plan.records, rejected: plan.rejected, shards: plan.shards.length };
} else {
  let rows = 0;
  for await (const batch of openRowSource(bytes, { name: file, path: file }, MAX_RECORD_BYTES).batches()) {
    rows += batch.length;
  }
  detail = { rows: rows - 1 };
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStart);
rmSync(out, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024, detail })}\n`,
);

/**
 * The collect bench's measured process (bundled by bench/collect.bench.ts as the Lambda is bundled):
 * `--child` runs Collect's core over the shard with the file-backed spill store, its reads through the
 * clock as the handler's are; `--child-index` the read side only, `--child-parse` reading and JSON.parse
 * only, `--child-floor` that plus writing results-sized files (no Collect work at all), `--child-peer` the in-memory peer (collect-peer.ts). Each prints its figures as one JSON line.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { FileSpillStore } from '../lambda/collect-results/spill-file';
import { OutcomeRenderer } from '../lambda/core/collect/rendered';
import { collectRun } from '../lambda/core/collect/run';
import { COLLECT_TIMEOUT_SECONDS } from '../lambda/core/collect/run-size';
import { indexShardOutputs } from '../lambda/core/collect/shard-outputs';
import type { TextSink } from '../lambda/core/collect/sink';
import { withinTime } from '../lambda/core/collect/time-limit';
import { WarningLog } from '../lambda/core/collect/warnings';
import { readByteLines, readLines } from '../lambda/core/jsonl/lines';
import { outputModeFor } from '../lambda/core/jsonl/outcome';
import { deadlineOf } from '../lambda/core/on-demand/budget';
import { close, dir, outFile, pipeline, RECORDS, rowsFile, schema, write } from './collect-data';
import { collectPeer } from './collect-peer';

/**
 * Bytes per read of the shard's files: what an S3 object stream delivers at most (Collect reads its inputs
 * from S3), not the megabyte a local file could be read in (decoding megabyte chunks costs far more).
 */
const READ_CHUNK = 64 * 1024;

function fileSink(path: string): { sink: TextSink; done: () => Promise<void> } {
  const stream = createWriteStream(path, { highWaterMark: 1 << 20 });
  return { sink: { write: (text) => write(stream, text) }, done: () => close(stream) };
}

/** Runs `work` and prints its wall and CPU seconds, peak RSS and what it returned, as one JSON line. */
async function report(work: () => Promise<Record<string, unknown>>): Promise<void> {
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const extra = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    `${JSON.stringify({ seconds, cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra })}\n`,
  );
}

/** Collect's core over the shard, writing the three result files. */
async function collect(): Promise<Record<string, unknown>> {
  const ends = Date.now() + COLLECT_TIMEOUT_SECONDS * 1000;
  const deadline = deadlineOf({ getRemainingTimeInMillis: () => ends - Date.now() });
  const place = { position: 1, shards: 1, rows: RECORDS };
  const store = await FileSpillStore.create(dir);
  const files = {
    csv: fileSink(join(dir, 'results.csv')),
    jsonl: fileSink(join(dir, 'results.jsonl')),
    errors: fileSink(join(dir, 'errors.csv')),
  };
  const summary = await collectRun(
    {
      runId: 'bench',
      pipeline,
      header: ['Context', 'Response'],
      inputRows: RECORDS,
      shards: [
        {
          shard: 1,
          records: RECORDS,
          job: {
            jobArn: 'arn:aws:bedrock:us-east-1:1:model-invocation-job/benchbenchbe',
            status: 'Completed',
          },
        },
      ],
      resultsPrefix: 'results/bench/bench/',
      createdAt: new Date().toISOString(),
    },
    {
      // Through the clock as the handler reads (lambda/collect-results/collect.ts), a Lambda's 15 minutes.
      sidecarLines: () =>
        withinTime(readByteLines(createReadStream(rowsFile, { highWaterMark: READ_CHUNK })), deadline, place),
      outputLines: () =>
        withinTime(readLines(createReadStream(outFile, { highWaterMark: READ_CHUNK })), deadline, place),
      manifest: async () => undefined,
      rejectedLines: () => readLines(createReadStream('/dev/null')),
    },
    store,
    { csv: files.csv.sink, jsonl: files.jsonl.sink, errors: files.errors.sink },
  );
  await Promise.all([files.csv.done(), files.jsonl.done(), files.errors.done()]);
  await store.dispose();
  return { counts: summary.counts };
}

/** The read side only: sidecar positions, then every `.jsonl.out` line parsed, judged and spilled. */
async function indexOnly(): Promise<Record<string, unknown>> {
  const store = await FileSpillStore.create(dir);
  const positions = new Map<string, number>();
  for await (const line of readLines(createReadStream(rowsFile, { highWaterMark: READ_CHUNK }))) {
    positions.set((JSON.parse(line) as { recordId: string }).recordId, positions.size);
  }
  const lines = readLines(createReadStream(outFile, { highWaterMark: READ_CHUNK }));
  const renderer = new OutcomeRenderer(Object.keys(schema.properties));
  await indexShardOutputs(lines, positions, outputModeFor(pipeline), renderer, store, new WarningLog(), 1);
  await store.dispose();
  return {};
}

/**
 * What any Collect must do at least, with none of its work: read the sidecar (twice) and the `.jsonl.out`
 * in S3-sized chunks, `JSON.parse` every output line, and write as many bytes as Collect's results.csv and
 * results.jsonl (each sidecar line, then padding to the files' sizes per row). The speed this reaches is a
 * ceiling on Collect's own.
 */
async function floor(): Promise<Record<string, unknown>> {
  const read = (file: string) => readByteLines(createReadStream(file, { highWaterMark: READ_CHUNK }));
  let ids = 0;
  for await (const _line of read(rowsFile)) ids++;
  for await (const line of readLines(createReadStream(outFile, { highWaterMark: READ_CHUNK })))
    JSON.parse(line);
  const csv = createWriteStream(join(dir, 'floor-results.csv'), { highWaterMark: 1 << 20 });
  const jsonl = createWriteStream(join(dir, 'floor-results.jsonl'), { highWaterMark: 1 << 20 });
  // Per row beyond its sidecar line, as Collect's files on this shard: results.csv about 725 bytes,
  // results.jsonl about 1,600.
  const padding = Buffer.alloc(1600, 0x78);
  for await (const line of read(rowsFile)) {
    await write(csv, line);
    await write(csv, padding.subarray(0, 725));
    await write(jsonl, line);
    await write(jsonl, padding);
  }
  await Promise.all([close(csv), close(jsonl)]);
  return { rows: ids };
}

async function parseOnly(): Promise<Record<string, unknown>> {
  for await (const line of readLines(createReadStream(outFile, { highWaterMark: READ_CHUNK })))
    JSON.parse(line);
  return {};
}

/** The in-memory peer (collect-peer.ts) over the same shard. */
async function peerOnly(): Promise<Record<string, unknown>> {
  return { rows: await collectPeer(['Context', 'Response'], Object.keys(schema.properties)) };
}

const modes: Record<string, () => Promise<Record<string, unknown>>> = {
  '--child': collect,
  '--child-index': indexOnly,
  '--child-parse': parseOnly,
  '--child-floor': floor,
  '--child-peer': peerOnly,
};
const mode = process.argv.find((arg) => arg in modes);
if (mode !== undefined) await report(modes[mode]!);

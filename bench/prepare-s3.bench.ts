/**
 * Prepare as it ships, through S3: the prepare bench's generated CSV (bench/prepare-data.ts; 200 MB, and
 * 1 GB with BENCH_PREPARE_1GB=1) uploaded to the embedded S3 (s3rver, in this process), then the Prepare
 * handler bundle that `cdk deploy` uploads (dist/functions/prepare-input/index.mjs) called in a fresh `node`
 * (bench/handler-process.ts): it reads the file through a GetObject stream and writes the shards, row
 * sidecars and plan through multipart uploads. `bedrock-batch prepare` on the same file alternates with it,
 * so the SDK's share is read within one run. Target: peak RSS <= 256 MB at every size, as issue 14 asks
 * of the CLI (Prepare runs in 2,048 MB on Lambda; a leak there once took 2.4 GB for 1 GB). `npm ci` builds
 * the bundle; after editing lambda/, run `npm run build` first.
 */

import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LOCAL_KEYS, runKeys } from '../lambda/core/contract/layout';
import type { PreparedRun, RunInput } from '../lambda/core/contract/types';
import { openObject } from '../lambda/io/s3';
import { startS3Server } from '../local/s3-server';
import { type HandlerRun, runHandler, startHandlerBench } from './handler-process';
import { benchCsv } from './prepare-data';
import { fastest, timeNode } from './whole-process';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_RSS_MB = 256;
const ROOT = join(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'dist', 'functions', 'prepare-input', 'index.mjs');
/** The prepare bench's pipeline (Claude, two columns, dedupe on), deployed as the pipeline `bench`. */
const PIPELINE = join(import.meta.dirname, 'prepare-peer.json');

async function main(): Promise<void> {
  startHandlerBench(BUNDLE);
  const pipelines = mkdtempSync(join(tmpdir(), 'bench-prepare-s3-'));
  copyFileSync(PIPELINE, join(pipelines, 'bench.json'));
  const server = await startS3Server();
  const s3 = server.client();
  const env = {
    ...server.env,
    WORK_BUCKET: 'work',
    RESULTS_BUCKET: 'results',
    PIPELINES_DIR: pipelines,
    // Lambda's largest /tmp, so dedupe's check of Collect's disk never refuses the file.
    COLLECT_STORAGE_MIB: '10240',
    POWERTOOLS_SERVICE_NAME: 'bedrock-batch-pipeline',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
  let ok = true;
  try {
    for (const bucket of ['input', 'work', 'results'])
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const sizes = [200, ...(process.env.BENCH_PREPARE_1GB === '1' ? [1000] : [])];
    for (const megabytes of sizes) {
      const csv = await benchCsv(megabytes);
      const key = `inbox/bench/${megabytes}mb.csv`;
      const bytes = statSync(csv).size;
      await s3.send(
        new PutObjectCommand({
          Bucket: 'input',
          Key: key,
          Body: createReadStream(csv),
          ContentLength: bytes,
        }),
      );
      const runs: HandlerRun<PreparedRun>[] = [];
      let differing: string[] = [];
      const cliCpu: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const event: RunInput = {
          runId: `bench-${megabytes}-${i}-20261202-0123456789ab`,
          pipeline: 'bench',
          source: { bucket: 'input', key },
        };
        const run = await runHandler<PreparedRun>(BUNDLE, event, env);
        runs.push(run);
        const out = mkdtempSync(join(tmpdir(), 'bench-prepare-s3-cli-'));
        const cli = timeNode([
          join(ROOT, 'bin', 'bedrock-batch.mjs'),
          'prepare',
          csv,
          '--pipeline',
          PIPELINE,
          '--out',
          out,
        ]);
        // The first run's shards and sidecars, byte for byte against the CLI's: the handler reuses the
        // encoder's arenas once its uploads say so (lambda/io/s3.ts `released`), and a byte sent after
        // its arena was reused would show here.
        if (i === 0) differing = await differences(s3, event.runId, out, run.output.shardNumbers);
        rmSync(out, { recursive: true, force: true });
        cliCpu.push(cli.cpuSeconds ?? Number.NaN);
      }
      const best = fastest(runs);
      const rss = Math.max(...runs.map((run) => run.whole.maxRssMb));
      const mb = bytes / 1e6;
      const cpu = Math.min(...runs.map((run) => run.cpuSeconds));
      process.stdout.write(
        `${megabytes} MB file (${bytes} bytes, ${best.output.records} records, ${best.output.shardNumbers.length} shards), ${RUNS} runs, best shown:\n` +
          `prepare handler through S3   in-process ${best.seconds.toFixed(2)} s (${(mb / best.seconds).toFixed(1)} MB/s), ` +
          `cpu ${best.cpuSeconds.toFixed(2)} s; whole process ${best.whole.seconds.toFixed(2)} s, cpu ` +
          `${best.whole.cpuSeconds.toFixed(2)} s; ${rss.toFixed(0)} MB peak RSS; the S3 server ${best.serverCpuSeconds.toFixed(2)} s of CPU\n` +
          `bedrock-batch prepare (local files), alternating: cpu ${Math.min(...cliCpu).toFixed(2)} s best as a whole ` +
          `process; the handler through S3 takes ${(cpu / Math.min(...cliCpu)).toFixed(2)}x its CPU (the CLI's start-up included)\n` +
          `the handler's shards and row sidecars are the CLI's, byte for byte: ${differing.length === 0 ? 'yes' : `NO (${differing.join(', ')})`}\n` +
          `prepare through S3 at ${megabytes} MB: ${rss.toFixed(0)} MB peak RSS (target <= ${TARGET_RSS_MB} MB): ` +
          `${rss <= TARGET_RSS_MB ? 'met' : 'MISSED'}\n`,
      );
      ok &&= rss <= TARGET_RSS_MB && differing.length === 0;
    }
  } finally {
    s3.destroy();
    await server.close();
    rmSync(pipelines, { recursive: true, force: true });
  }
  process.stdout.write(`prepare-s3: ${ok ? 'within targets' : 'MISSES a target (see above)'}\n`);
  process.exitCode = ok ? 0 : 1;
}

/** The keys of `shards` whose objects in the work bucket differ from the CLI's files under `out`. */
async function differences(
  s3: S3Client,
  runId: string,
  out: string,
  shards: readonly number[],
): Promise<string[]> {
  const keys = runKeys(runId);
  const pairs = shards.flatMap((shard) => [
    [keys.batchInput(shard), LOCAL_KEYS.batchInput(shard)],
    [keys.rows(shard), LOCAL_KEYS.rows(shard)],
  ]);
  const differing: string[] = [];
  for (const [key, file] of pairs) {
    const object = createHash('sha256');
    for await (const chunk of (await openObject(s3, 'work', key!))!) object.update(chunk as Buffer);
    const local = createHash('sha256');
    for await (const chunk of createReadStream(join(out, file!))) local.update(chunk as Buffer);
    if (object.digest('hex') !== local.digest('hex')) differing.push(key!);
  }
  return differing;
}

await main();

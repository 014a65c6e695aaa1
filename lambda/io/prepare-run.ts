/**
 * The edge of Prepare input: loads the pipeline, opens the analyst's object, reads a re-run's previous
 * results, streams the prepared run into the WorkBucket and returns the small PreparedRun value.
 */
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import { RerunRefusedError, SourceMissingError, UnknownPipelineError } from '../core/contract/errors';
import { RESULT_FILES, resultsPrefix, runKeys } from '../core/contract/layout';
import type { PipelineDefinition, PreparedRun, RunInput } from '../core/contract/types';
import { type RunDeadline, runDeadline } from '../core/deadline/estimate';
import { readLines } from '../core/jsonl/lines';
import { preparedMode } from '../core/mode/mode';
import { loadPipeline, PIPELINE_NAME } from '../core/pipeline/pipeline';
import { prepare } from '../core/prepare/prepare';
import type { SinkFactory } from '../core/prepare/sink';
import { checkRerun } from '../core/rerun/fingerprint';
import { okRows, previousRunOf } from '../core/rerun/previous-run';
import { requireEnv } from './config';
import { getJson, openObject, openUpload, readObjectOrNothing } from './s3';

/** Where Prepare input reads pipelines from and writes the prepared run to. */
export interface PrepareSettings {
  readonly pipelinesDir: string;
  readonly workBucket: string;
  /** Collect's ephemeral storage as deployed (`COLLECT_STORAGE_MIB`), for dedupe's carry-store check. */
  readonly collectStorageMiB: number;
}

/** Prepares one run; throws the typed errors of lambda/core/contract/errors.ts for the state machine to catch. */
export async function prepareRun(
  s3: S3Client,
  event: RunInput,
  settings: PrepareSettings,
  logger: Logger,
): Promise<PreparedRun> {
  if (!PIPELINE_NAME.test(event.pipeline)) {
    throw new UnknownPipelineError(
      `No pipeline named ${JSON.stringify(event.pipeline)}: not a valid pipeline name.`,
    );
  }
  const pipeline = loadPipeline(join(settings.pipelinesDir, `${event.pipeline}.json`));
  const rerun = event.rerunOf === undefined ? undefined : await previousRun(s3, event.rerunOf, pipeline);
  const { bucket, key, versionId } = event.source;
  const body = await openObject(s3, bucket, key, versionId);
  if (body === undefined) {
    throw new SourceMissingError(
      `The input object s3://${bucket}/${key} no longer exists (deleted before the run read it).`,
    );
  }
  const sinks: SinkFactory = {
    open: (k, contentType) => openUpload(s3, settings.workBucket, k, contentType),
  };
  const keys = runKeys(event.runId);
  // The key's extension picks the reader; .xlsx and .parquet are spilled to /tmp (random access).
  const plan = await prepare(body, {
    pipeline,
    sinks,
    keys,
    runId: event.runId,
    input: { name: key },
    collectStorageMiB: settings.collectStorageMiB,
    ...(rerun === undefined ? {} : { reuse: rerun.reuse, checkInput: rerun.checkInput }),
  });
  return {
    runId: event.runId,
    pipeline: pipeline.name,
    modelId: pipeline.modelId,
    invocationType: pipeline.invocationType,
    timeoutHours: pipeline.timeoutHours,
    rows: plan.rows,
    records: plan.records,
    rejected: plan.rejected,
    minRecordsPerJob: plan.minRecordsPerJob,
    belowMinimum: plan.belowMinimum,
    mode: preparedMode(plan.records, plan.minRecordsPerJob, pipeline.belowMinimum),
    shardNumbers: plan.shards.map((shard) => shard.shard),
    planKey: keys.plan(),
    deadline: reportDeadline(runDeadline(pipeline.deadlineHours, plan.records), event, logger),
  };
}

/** The run's deadline; a deadline that even the on-demand path cannot meet is logged (and in summary.json). */
function reportDeadline(deadline: RunDeadline | null, run: RunInput, logger: Logger): RunDeadline | null {
  if (deadline !== null && !deadline.feasible) {
    logger.warn(
      'Deadline cannot be met: even on demand the run is estimated to end after it; the run goes on',
      {
        runId: run.runId,
        pipeline: run.pipeline,
        deadlineHours: deadline.hours,
        records: deadline.records,
        onDemandSeconds: deadline.onDemandSeconds,
      },
    );
  }
  return deadline;
}

/**
 * A re-run's view of the previous run (its results in the ResultsBucket): refused at once when its
 * pipeline differs or nothing is left to send; the input file is checked once read.
 */
async function previousRun(s3: S3Client, previousRunId: string, pipeline: PipelineDefinition) {
  const resultsBucket = requireEnv('RESULTS_BUCKET');
  const prefix = resultsPrefix(pipeline.name, previousRunId);
  const previous = previousRunOf(
    await getJson<unknown>(s3, resultsBucket, `${prefix}${RESULT_FILES.summary}`),
  );
  if (previous === undefined) {
    throw new RerunRefusedError(
      `Run ${previousRunId} of pipeline "${pipeline.name}" has no summary.json in the results bucket, so there is nothing to re-run from.`,
    );
  }
  checkRerun(previous, { pipeline });
  const rows = await okRows(
    readLines(readObjectOrNothing(s3, resultsBucket, `${prefix}${RESULT_FILES.jsonl}`)),
  );
  return {
    reuse: { previousRunId, rows },
    checkInput: (inputSha256: string) => checkRerun(previous, { pipeline, inputSha256 }),
  };
}

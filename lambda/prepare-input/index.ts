/**
 * Prepare input: streams the analyst's file (CSV, .xlsx, .jsonl or .parquet) from the InputBucket into JSONL shards, row sidecars, the
 * rejected-rows file, the pipeline snapshot and plan.json in the WorkBucket. Returns small values only.
 */

import { EPHEMERAL_STORAGE_MIB } from '../core/collect/spill-size';
import type { PreparedRun, RunInput } from '../core/contract/types';
import { s3Client } from '../io/clients';
import { intEnv, requireEnv } from '../io/config';
import { prepareRun } from '../io/prepare-run';
import { createLogger } from '../io/telemetry';

const logger = createLogger('prepare-input');

/** Prepares one run; throws the typed errors of lambda/core/contract/errors.ts for the state machine to catch. */
export async function handler(event: RunInput): Promise<PreparedRun> {
  const settings = {
    pipelinesDir: requireEnv('PIPELINES_DIR'),
    workBucket: requireEnv('WORK_BUCKET'),
    collectStorageMiB: intEnv('COLLECT_STORAGE_MIB', EPHEMERAL_STORAGE_MIB.min, EPHEMERAL_STORAGE_MIB.max),
  };
  return prepareRun(s3Client(), event, settings, logger);
}

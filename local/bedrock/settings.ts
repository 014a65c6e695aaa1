/** The emulator's effective settings: the faults file with every default filled in. */
import type { Faults, StepDurations } from '../faults';
import type { InputLimits } from './input';
import { ModelCatalog } from './models/catalog';
import type { BatchModel } from './models/table';

/** Phase durations when none are given: a whole job takes about 200 ms of wall time. */
const DEFAULT_DURATIONS: StepDurations = {
  submitted: 20,
  validating: 20,
  scheduled: 20,
  inProgress: 120,
  stopping: 20,
};

/** A job's limits: its model's, unless the faults file sets one for every model. */
export interface JobLimits extends InputLimits {
  readonly maxRecordBytes: number;
  readonly contextTokens: number;
}

/** Everything the lifecycle reads, resolved. */
export interface Settings {
  readonly faults: Faults;
  readonly durations: StepDurations;
  /** The batch-capable models: the built-in table plus the faults file's `models`. */
  readonly models: ModelCatalog;
  readonly seed: number;
  readonly maxConcurrentJobs: number;
  readonly processedFraction: number;
  /** Progress updates during InProgress (counters move in this many steps). */
  readonly progressSteps: number;
}

/** Resolves defaults (per-model quotas come from the model table, see {@link limitsFor}). */
export function resolveSettings(faults: Faults = {}): Settings {
  return {
    faults,
    durations: { ...DEFAULT_DURATIONS, ...faults.durations },
    models: new ModelCatalog(faults.models),
    seed: faults.seed ?? 1,
    maxConcurrentJobs: faults.maxConcurrentJobs ?? 20,
    processedFraction: faults.processedFraction ?? 0.5,
    progressSteps: 4,
  };
}

/** The limits of a job on `model`: a quota in the faults file applies to every model and wins. */
export function limitsFor(settings: Settings, model: BatchModel): JobLimits {
  const { faults } = settings;
  return {
    minRecordsPerJob: faults.minRecordsPerJob ?? model.minRecordsPerJob,
    maxRecordsPerFile: faults.maxRecordsPerFile ?? model.maxRecordsPerFile,
    maxRecordsPerJob: faults.maxRecordsPerJob ?? model.maxRecordsPerJob,
    maxFileBytes: faults.maxFileBytes ?? model.maxFileBytes,
    maxJobBytes: faults.maxJobBytes ?? model.maxJobBytes,
    maxRecordBytes: faults.maxRecordBytes ?? model.maxRecordBytes,
    contextTokens: model.contextTokens,
  };
}

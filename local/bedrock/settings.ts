/** The emulator's effective settings: the faults file with every default filled in. */
import type { Faults, StepDurations } from '../faults';
import type { InputLimits } from './input';

/** Phase durations when none are given: a whole job takes about 200 ms of wall time. */
export const DEFAULT_DURATIONS: StepDurations = {
  submitted: 20,
  validating: 20,
  scheduled: 20,
  inProgress: 120,
  stopping: 20,
};

/** Everything the lifecycle reads, resolved. */
export interface Settings {
  readonly faults: Faults;
  readonly durations: StepDurations;
  readonly limits: InputLimits;
  readonly seed: number;
  readonly maxConcurrentJobs: number;
  readonly processedFraction: number;
  /** Progress updates during InProgress (counters move in this many steps). */
  readonly progressSteps: number;
}

/** Resolves defaults: the 2025 per-model quotas (100 min records, 50,000 per file and job, 1 GB, 5 GB). */
export function resolveSettings(faults: Faults = {}): Settings {
  return {
    faults,
    durations: { ...DEFAULT_DURATIONS, ...faults.durations },
    limits: {
      minRecordsPerJob: faults.minRecordsPerJob ?? 100,
      maxRecordsPerFile: faults.maxRecordsPerFile ?? 50_000,
      maxRecordsPerJob: faults.maxRecordsPerJob ?? 50_000,
      maxFileBytes: faults.maxFileBytes ?? 1024 ** 3,
      maxJobBytes: faults.maxJobBytes ?? 5 * 1024 ** 3,
    },
    seed: faults.seed ?? 1,
    maxConcurrentJobs: faults.maxConcurrentJobs ?? 20,
    processedFraction: faults.processedFraction ?? 0.5,
    progressSteps: 4,
  };
}

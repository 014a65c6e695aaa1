/**
 * The emulator's faults file: failures and quotas to inject, in JSON. Every field is optional; unknown
 * fields and wrong types are rejected with a message naming the field (docs/emulator.md lists them).
 */
import { readFile } from 'node:fs/promises';

/** Error types the emulator can return from a Create or Get call on demand. */
const INJECTABLE_ERRORS = [
  'ThrottlingException',
  'ServiceQuotaExceededException',
  'InternalServerException',
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ConflictException',
] as const;

/** One injectable error type name. */
type InjectableError = (typeof INJECTABLE_ERRORS)[number];

/** Error types the runtime endpoints (InvokeModel, Converse) can return on demand. */
const RUNTIME_INJECTABLE_ERRORS = [
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelTimeoutException',
  'ModelNotReadyException',
  'ModelErrorException',
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ServiceQuotaExceededException',
] as const;

/** One error type the runtime endpoints can be made to return. */
type RuntimeInjectableError = (typeof RUNTIME_INJECTABLE_ERRORS)[number];

/** Terminal statuses a fault can force (Stopped here means "stopped by someone else"). */
const FORCED_STATUSES = ['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired'] as const;

/** One forceable terminal status. */
export type ForcedStatus = (typeof FORCED_STATUSES)[number];

/** How long each phase lasts, in milliseconds of the emulator's clock. */
export interface StepDurations {
  readonly submitted: number;
  readonly validating: number;
  readonly scheduled: number;
  readonly inProgress: number;
  readonly stopping: number;
}

/** Body shapes the emulated model speaks, for a model added in the settings file. */
const MODEL_SHAPES = ['claude', 'nova', 'llama', 'titan', 'generic'] as const;

/**
 * A model added to (or changed in) the emulator's table of batch-capable models. Absent fields keep the
 * table's value for a listed model, else the defaults (AWS's common quotas, no context-window check).
 */
export interface ModelSettings {
  /** The request/response body: `claude`, `nova`, `llama`, `titan` or `generic` (Mistral's answer shape). */
  readonly shape?: (typeof MODEL_SHAPES)[number];
  readonly contextTokens?: number;
  readonly minRecordsPerJob?: number;
  readonly maxRecordsPerJob?: number;
  readonly maxRecordsPerFile?: number;
  readonly maxFileBytes?: number;
  readonly maxJobBytes?: number;
  readonly maxRecordBytes?: number;
  /** True: batch accepts the model only through a cross-Region inference profile. */
  readonly profileOnly?: boolean;
}

/** A parsed, validated faults file. Absent fields mean "no fault" or the documented default. */
export interface Faults {
  /** Returned by successive CreateModelInvocationJob calls, one each, before calls succeed again. */
  readonly createErrors?: readonly InjectableError[];
  /** Returned by successive GetModelInvocationJob calls, one each. */
  readonly getErrors?: readonly InjectableError[];
  /** Returned by successive InvokeModel/Converse calls, one each, before calls succeed again. */
  readonly runtimeErrors?: readonly RuntimeInjectableError[];
  /**
   * Fraction of InvokeModel/Converse calls answered with ThrottlingException, chosen by the seed, the
   * request body and how many times that body was sent (a retried request may succeed).
   */
  readonly runtimeErrorRate?: number;
  /** The terminal status jobs end in instead of Completed. */
  readonly finalStatus?: ForcedStatus;
  /** How many jobs (in creation order) get `finalStatus`; the rest complete normally. Default: all. */
  readonly finalStatusTimes?: number;
  /** The `message` of a job forced to Failed. */
  readonly failureMessage?: string;
  /** Fraction of PartiallyCompleted/Stopped records that were processed (default 0.5). */
  readonly processedFraction?: number;
  /** Fraction of records answered with a per-record error line, chosen by the seed. */
  readonly recordErrorRate?: number;
  /** How many jobs (in creation order) get `recordErrorRate`; later jobs answer every record. Default: all. */
  readonly recordErrorTimes?: number;
  /** Seed of every pseudo-random choice (record errors, line shuffling). Default 1. */
  readonly seed?: number;
  /** Records a job needs at least (the per-model batch minimum). Default 100. */
  readonly minRecordsPerJob?: number;
  /** Records one input file may hold at most. Default 50,000. */
  readonly maxRecordsPerFile?: number;
  /** Records one job may hold at most. Default 50,000. */
  readonly maxRecordsPerJob?: number;
  /** Bytes one input file may hold at most. Default 1 GiB. */
  readonly maxFileBytes?: number;
  /** Bytes of all input files of a job at most. Default 5 GiB. */
  readonly maxJobBytes?: number;
  /** Non-terminal jobs per model at most, else ServiceQuotaExceededException. Default 20. */
  readonly maxConcurrentJobs?: number;
  /** True: jobs never finish InProgress on their own (they reach their timeout, or are stopped). */
  readonly stuck?: boolean;
  /** Phase durations in milliseconds (partial; the rest keep their defaults). */
  readonly durations?: Partial<StepDurations>;
  /** Bytes of one record's line at most, for every model (else the model's limit, 20 MB). */
  readonly maxRecordBytes?: number;
  /** Models added to the emulator's table, or listed ones changed, by model id. */
  readonly models?: Readonly<Record<string, ModelSettings>>;
}

/** A faults file that cannot be used: the message names the field. */
export class FaultsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultsFileError';
  }
}

type Check = (value: unknown, field: string) => void;

const isInteger =
  (min: number): Check =>
  (value, field) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new FaultsFileError(`${field} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
    }
  };

const isFraction: Check = (value, field) => {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new FaultsFileError(`${field} must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
};

const oneOf =
  (allowed: readonly string[]): Check =>
  (value, field) => {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw new FaultsFileError(
        `${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
      );
    }
  };

const listOf =
  (item: Check): Check =>
  (value, field) => {
    if (!Array.isArray(value)) throw new FaultsFileError(`${field} must be a list`);
    value.forEach((entry, index) => {
      item(entry, `${field}[${index}]`);
    });
  };

const isString: Check = (value, field) => {
  if (typeof value !== 'string' || value === '')
    throw new FaultsFileError(`${field} must be a non-empty string`);
};

const isBoolean: Check = (value, field) => {
  if (typeof value !== 'boolean') throw new FaultsFileError(`${field} must be true or false`);
};

const objectOf =
  (fields: Record<string, Check>): Check =>
  (value, field) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new FaultsFileError(`${field || 'the faults value'} must be an object`);
    }
    for (const [key, entry] of Object.entries(value)) {
      const path = field === '' ? key : `${field}.${key}`;
      const check = fields[key];
      if (check === undefined) {
        throw new FaultsFileError(`unknown field ${path} (known: ${Object.keys(fields).join(', ')})`);
      }
      check(entry, path);
    }
  };

const recordOf =
  (item: Check): Check =>
  (value, field) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new FaultsFileError(`${field} must be an object`);
    }
    for (const [key, entry] of Object.entries(value)) item(entry, `${field}.${key}`);
  };

const modelFields: Record<keyof ModelSettings, Check> = {
  shape: oneOf(MODEL_SHAPES),
  contextTokens: isInteger(1),
  minRecordsPerJob: isInteger(1),
  maxRecordsPerJob: isInteger(1),
  maxRecordsPerFile: isInteger(1),
  maxFileBytes: isInteger(1),
  maxJobBytes: isInteger(1),
  maxRecordBytes: isInteger(1),
  profileOnly: isBoolean,
};

const durationFields: Record<keyof StepDurations, Check> = {
  submitted: isInteger(0),
  validating: isInteger(0),
  scheduled: isInteger(0),
  inProgress: isInteger(0),
  stopping: isInteger(0),
};

const faultFields: Record<keyof Faults, Check> = {
  createErrors: listOf(oneOf(INJECTABLE_ERRORS)),
  getErrors: listOf(oneOf(INJECTABLE_ERRORS)),
  runtimeErrors: listOf(oneOf(RUNTIME_INJECTABLE_ERRORS)),
  runtimeErrorRate: isFraction,
  finalStatus: oneOf(FORCED_STATUSES),
  finalStatusTimes: isInteger(1),
  recordErrorTimes: isInteger(1),
  failureMessage: isString,
  processedFraction: isFraction,
  recordErrorRate: isFraction,
  seed: isInteger(0),
  minRecordsPerJob: isInteger(1),
  maxRecordsPerFile: isInteger(1),
  maxRecordsPerJob: isInteger(1),
  maxFileBytes: isInteger(1),
  maxJobBytes: isInteger(1),
  maxConcurrentJobs: isInteger(1),
  stuck: isBoolean,
  durations: objectOf(durationFields),
  maxRecordBytes: isInteger(1),
  models: recordOf(objectOf(modelFields)),
};

/**
 * Validates a parsed faults value.
 *
 * @example parseFaults({ createErrors: ['ThrottlingException'], seed: 7 })
 */
export function parseFaults(value: unknown): Faults {
  objectOf(faultFields)(value, '');
  return value as Faults;
}

/** Reads and validates a faults file; a missing file, bad JSON or a bad field is a {@link FaultsFileError}. */
export async function readFaultsFile(path: string): Promise<Faults> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FaultsFileError(`cannot read faults file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FaultsFileError(`faults file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseFaults(value);
  } catch (error) {
    throw new FaultsFileError(`faults file ${path}: ${(error as Error).message}`);
  }
}

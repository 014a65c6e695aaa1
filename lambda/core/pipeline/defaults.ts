/** The defaults of a pipeline's optional fields and their bounds (see docs/pipelines.md). */
import type { InvocationType, OutputSpec } from '../contract/types';
import { DEFAULT_BELOW_MINIMUM } from '../mode/mode';

/** Defaults applied to optional fields (see docs/pipelines.md). */
export const PIPELINE_DEFAULTS = {
  maxTokens: 1024,
  temperature: 0,
  invocationType: 'InvokeModel' as InvocationType,
  output: { format: 'text' } as OutputSpec,
  minRecordsPerJob: 100,
  maxRecordsPerJob: 50_000,
  /** Bedrock's job size limit is 5 GB for most models; decimal, to stay below it. */
  maxJobBytes: 5_000_000_000,
  timeoutHours: 72,
  belowMinimum: DEFAULT_BELOW_MINIMUM,
  retryRound: true,
} as const;

/** The longest `deadlineHours`: a week, the longest a batch job may run (`timeoutHours` 168). */
export const DEADLINE_MAX_HOURS = 168;

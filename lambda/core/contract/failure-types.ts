/** The shapes of Record failure: its input (the execution state at the point of failure) and its report. */
import type { CaughtError } from './job-types';
import type { CollectOutput, PreparedRun, SourceObject } from './types';

/** Input of Record failure: the execution state at the point of failure. */
export interface RecordFailureInput {
  readonly runId: string;
  readonly pipeline: string;
  readonly source: SourceObject;
  readonly error: CaughtError;
  readonly prepared?: PreparedRun;
  /** Present when Collect published results before the run failed (some shards' jobs failed). */
  readonly results?: CollectOutput;
}

/** Output of Record failure: what the Fail state and the notification show. */
export interface FailureReport {
  readonly runId: string;
  readonly code: string;
  readonly message: string;
  /** One sentence: what the analyst or the platform team should do (lambda/core/job/failure.ts). */
  readonly whatToDo: string;
  /** The Fail state's cause: the message, then what to do. */
  readonly cause: string;
  readonly reportBucket: string;
  readonly reportKey: string;
}

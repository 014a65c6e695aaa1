/**
 * What a re-run checks before carrying answers over: the previous run's input file (SHA-256 of its
 * bytes) and pipeline (SHA-256 of the resolved definition) must be the ones of this run, else the
 * carried answers would answer other questions. summary.json records both as `fingerprint`.
 */
import { createHash } from 'node:crypto';
import { RerunRefusedError } from '../contract/errors';
import type { PipelineDefinition } from '../contract/types';

/** summary.json `fingerprint`. */
export interface RunFingerprint {
  /** SHA-256 (hex) of the input file's bytes. */
  readonly inputSha256: string;
  /** SHA-256 (hex) of the resolved pipeline as JSON (the run's `pipeline.json` snapshot). */
  readonly pipelineSha256: string;
}

/** What a re-run needs of the previous run's summary.json. */
export interface PreviousRun {
  readonly runId: string;
  readonly fingerprint?: Partial<RunFingerprint>;
  readonly counts?: { readonly input?: number; readonly ok?: number };
}

/** SHA-256 (hex) of a resolved pipeline. */
export function pipelineSha256(pipeline: PipelineDefinition): string {
  return createHash('sha256').update(JSON.stringify(pipeline)).digest('hex');
}

/**
 * Refuses a re-run of `previous` that cannot carry its answers over: no fingerprint, another pipeline,
 * nothing left to send; and, once known, another input file.
 *
 * @throws RerunRefusedError with one sentence saying why and what to do.
 */
export function checkRerun(
  previous: PreviousRun,
  current: { readonly pipeline: PipelineDefinition; readonly inputSha256?: string },
): void {
  const id = previous.runId;
  const fp = previous.fingerprint;
  if (typeof fp?.inputSha256 !== 'string' || typeof fp.pipelineSha256 !== 'string') {
    throw new RerunRefusedError(
      `Run ${id} has no fingerprint of its input and pipeline in summary.json (it predates re-runs), so its answers cannot be carried over: start a new run instead.`,
    );
  }
  if (fp.pipelineSha256 !== pipelineSha256(current.pipeline)) {
    throw new RerunRefusedError(
      `The pipeline "${current.pipeline.name}" changed since run ${id}, so its answers cannot be carried over: start a new run instead.`,
    );
  }
  if (previous.counts?.input !== undefined && previous.counts.ok === previous.counts.input) {
    throw new RerunRefusedError(`Every row of run ${id} is already ok: there is nothing to re-run.`);
  }
  if (current.inputSha256 !== undefined && current.inputSha256 !== fp.inputSha256) {
    throw new RerunRefusedError(
      `The input file changed since run ${id} (its SHA-256 differs), so its answers cannot be carried over: start a new run with the new file instead.`,
    );
  }
}

/**
 * A job's answers: each input record answered by the model emulation (or failed by a fault or the
 * record size limit), the counters of the records processed so far, and their output lines per file.
 */
import type { InputRecord } from './input';
import type { Job } from './job';
import { invokeModel } from './model/index';
import type { OutputLine } from './output';
import { hash32 } from './random';
import type { JobLimits, Settings } from './settings';

/** One record's output line and the tokens it used. */
export interface Outcome {
  readonly line: OutputLine;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Every record of every input file answered, in file order. */
export function answerRecords(
  job: Job,
  settings: Settings,
  limits: JobLimits,
  perFile: readonly InputRecord[][],
): Outcome[][] {
  const times = settings.faults.recordErrorTimes ?? Number.POSITIVE_INFINITY;
  const rate = job.sequence < times ? (settings.faults.recordErrorRate ?? 0) : 0;
  const traits = { shape: job.model.shape, contextTokens: limits.contextTokens };
  return perFile.map((records) =>
    records.map((record) => {
      const base = { recordId: record.recordId, modelInput: record.modelInput };
      if (rate > 0 && hash32(settings.seed, 'error', record.recordId) / 2 ** 32 < rate) {
        const error = {
          errorCode: 500,
          errorMessage: 'Internal server error (emulated recordErrorRate fault)',
        };
        return { line: { ...base, error }, inputTokens: 0, outputTokens: 0 };
      }
      if (record.bytes > limits.maxRecordBytes) {
        const error = {
          errorCode: 400,
          errorMessage: `Input is too large: the record is ${record.bytes} bytes, above the limit of ${limits.maxRecordBytes} bytes for one model request.`,
        };
        return { line: { ...base, error }, inputTokens: 0, outputTokens: 0 };
      }
      const result = invokeModel(
        job.request.modelId,
        job.request.modelInvocationType,
        record.modelInput,
        traits,
      );
      if (!result.ok) {
        const error = { errorCode: result.errorCode, errorMessage: result.errorMessage };
        return { line: { ...base, error }, inputTokens: 0, outputTokens: 0 };
      }
      return {
        line: { ...base, modelOutput: result.output },
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
      };
    }),
  );
}

/** Marks the first `count` records of a seeded processing order as processed; updates the counters. */
export function progress(job: Job, order: readonly Outcome[], count: number): void {
  const done = order.slice(0, count);
  const errors = done.filter((outcome) => 'error' in outcome.line).length;
  job.counters = {
    totalRecordCount: order.length,
    processedRecordCount: done.length,
    successRecordCount: done.length - errors,
    errorRecordCount: errors,
  };
}

/** The output lines of the records processed so far, per input file. */
export function processedLines(job: Job, outcomes: readonly Outcome[][], order: readonly Outcome[]) {
  const processed = new Set(order.slice(0, job.counters.processedRecordCount));
  const lines = outcomes.map((perFile) =>
    perFile.filter((outcome) => processed.has(outcome)).map((o) => o.line),
  );
  return { processed, lines };
}

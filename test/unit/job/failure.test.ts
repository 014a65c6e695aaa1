import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeForErrorName } from '../../../lambda/core/contract/errors';
import type { PreparedRun } from '../../../lambda/core/contract/types';
import { describeFailure, MAX_MESSAGE_LENGTH, WHAT_TO_DO } from '../../../lambda/core/job/failure';
import { lambdaCaught } from '../../helpers/events';

const prepared: PreparedRun = {
  runId: 'r-0123456789ab',
  pipeline: 'qa-auditor',
  modelId: 'm',
  invocationType: 'InvokeModel',
  timeoutHours: 24,
  rows: 40,
  records: 38,
  rejected: 2,
  minRecordsPerJob: 100,
  belowMinimum: true,
  mode: 'too-few',
  shardNumbers: [],
  planKey: 'runs/r-0123456789ab/plan.json',
  deadline: null,
};

/** Every error name a failure can carry, the product's and the generic ones. */
const ERROR_NAMES = [
  'NotCsvError',
  'InvalidEncodingError',
  'InvalidCsvError',
  'UnexpectedDelimiterError',
  'NoRecordsError',
  'SchemaMismatchError',
  'TooManyRejectedRowsError',
  'BelowMinRecordsError',
  'SourceMissingError',
  'InvalidPipelineError',
  'UnknownPipelineError',
  'UnsupportedModelError',
  'JobRejectedError',
  'JobCapacityError',
  'JobFailedError',
  'JobExpiredError',
  'JobTimeoutError',
  'UnknownJobStatusError',
  'ResultsMismatchError',
  'CollectStorageTooSmallError',
  'RunTooLargeError',
  'States.Timeout',
  'Whatever',
];

describe('describeFailure', () => {
  it('takes the code from the error name and the message from a real Lambda Cause string', () => {
    const caught = {
      Error: 'NoRecordsError',
      Cause:
        '{"errorType":"NoRecordsError","errorMessage":"The file has a header and no data rows","trace":["NoRecordsError: The file has a header and no data rows","    at prepare (file:///var/task/index.mjs:3:4095)"]}',
    };
    expect(describeFailure(caught)).toEqual({
      code: 'NO_RECORDS',
      message: 'The file has a header and no data rows',
      whatToDo: WHAT_TO_DO.NO_RECORDS,
      retryable: false,
    });
  });

  it('marks retryable only what uploading the same file again later can get past (matrix 28)', () => {
    const retryable = ERROR_NAMES.filter((name) => describeFailure(lambdaCaught(name, 'x')).retryable);
    expect(retryable.map(codeForErrorName).sort()).toEqual(['JOB_CAPACITY', 'JOB_EXPIRED']);
    expect(describeFailure(lambdaCaught('JobCapacityError', 'quota full')).retryable).toBe(true);
    expect(describeFailure(lambdaCaught('JobFailedError', 'bad role')).retryable).toBe(false);
    expect(describeFailure({ Error: 'States.Timeout', Cause: 'Task timed out' }).retryable).toBe(false);
  });

  it('never copies the stack trace into the message', () => {
    const { message } = describeFailure(
      lambdaCaught('JobFailedError', 'Bedrock job x ended Failed: bad role'),
    );
    expect(message).toBe('Bedrock job x ended Failed: bad role');
    expect(message).not.toMatch(/index\.mjs|task_queues/);
  });

  it("keeps Bedrock's message for a rejected job", () => {
    const text = "Bedrock refused to create job j (ValidationException): Value 'job_1' at 'jobName' failed";
    expect(describeFailure(lambdaCaught('JobRejectedError', text))).toMatchObject({
      code: 'JOB_REJECTED',
      message: text,
    });
  });

  it('uses a plain-text Cause as it is', () => {
    expect(
      describeFailure({ Error: 'SourceMissingError', Cause: 'inbox/qa/x.csv was deleted' }),
    ).toMatchObject({
      code: 'SOURCE_MISSING',
      message: 'inbox/qa/x.csv was deleted',
    });
  });

  it('maps Lambda and States errors to INTERNAL_ERROR or TIMEOUT with a sentence', () => {
    expect(describeFailure({ Error: 'Lambda.Unknown', Cause: 'The function timed out' })).toMatchObject({
      code: 'INTERNAL_ERROR',
      message: 'The function timed out',
    });
    expect(describeFailure({ Error: 'States.Timeout' })).toMatchObject({
      code: 'TIMEOUT',
      message: 'A step of the run took longer than its time limit (States.Timeout (no further detail)).',
    });
  });

  it('falls back to the errorType inside the Cause when the Error name is generic', () => {
    expect(
      describeFailure({ Error: 'States.TaskFailed', Cause: lambdaCaught('JobCapacityError', 'full').Cause }),
    ).toMatchObject({ code: 'JOB_CAPACITY', message: 'full' });
  });

  it('states the numbers for BELOW_MIN_RECORDS (0 rows included)', () => {
    expect(describeFailure({ Error: 'BelowMinRecordsError', Cause: 'too few' }, prepared).message).toBe(
      'The file has 38 valid records; a batch job for this model needs at least 100.',
    );
    expect(describeFailure({ Error: 'BelowMinRecordsError' }, { ...prepared, records: 0 }).message).toMatch(
      /has 0 valid/,
    );
  });

  it('shortens very long messages', () => {
    const { message } = describeFailure({ Error: 'Error', Cause: 'x'.repeat(10_000) });
    expect(message).toHaveLength(MAX_MESSAGE_LENGTH);
  });

  it('has advice for every code an error can map to', () => {
    for (const name of ERROR_NAMES) expect(WHAT_TO_DO[codeForErrorName(name)], name).toMatch(/\.$/);
  });
});

describe("the analyst's guide", () => {
  it('lists every failure code with what to do (docs/analyst.md)', () => {
    const guide = readFileSync(join(import.meta.dirname, '../../../docs/analyst.md'), 'utf8');
    const listed = new Set([...guide.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((match) => match[1]));
    for (const code of Object.keys(WHAT_TO_DO)) expect(listed.has(code), code).toBe(true);
  });
});

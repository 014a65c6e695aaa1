import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultsFileError, parseFaults, readFaultsFile } from '../../../local/faults';

describe('the faults file', () => {
  it('names the field of a bad model entry', () => {
    expect(() => parseFaults({ models: { 'acme.new-v1:0': { shape: 'gpt' } } })).toThrow(
      /models\.acme\.new-v1:0\.shape must be one of claude, nova, llama, titan, generic/,
    );
    expect(() => parseFaults({ models: { 'acme.new-v1:0': { contextWindow: 5 } } })).toThrow(
      /unknown field models\.acme\.new-v1:0\.contextWindow/,
    );
    expect(() => parseFaults({ models: ['acme.new-v1:0'] })).toThrow(/models must be an object/);
  });

  it('accepts every documented field', () => {
    const faults = {
      createErrors: ['ThrottlingException', 'ServiceQuotaExceededException'],
      getErrors: ['InternalServerException'],
      finalStatus: 'PartiallyCompleted',
      finalStatusTimes: 1,
      failureMessage: 'boom',
      processedFraction: 0.25,
      recordErrorRate: 0.1,
      recordErrorTimes: 2,
      seed: 7,
      minRecordsPerJob: 100,
      maxRecordsPerFile: 50_000,
      maxRecordsPerJob: 50_000,
      maxFileBytes: 1_000,
      maxJobBytes: 5_000,
      maxConcurrentJobs: 20,
      stuck: false,
      durations: { submitted: 0, validating: 1, scheduled: 2, inProgress: 3, stopping: 4 },
      maxRecordBytes: 1_000,
      models: {
        'acme.new-v1:0': { shape: 'generic', contextTokens: 8_000, minRecordsPerJob: 10 },
        'anthropic.claude-3-haiku-20240307-v1:0': { maxRecordsPerJob: 100_000, profileOnly: false },
      },
    };
    expect(parseFaults(faults)).toEqual(faults);
    expect(parseFaults({})).toEqual({});
  });

  it.each([
    [{ recordErrorRat: 0.1 }, 'unknown field recordErrorRat (known: createErrors,'],
    [{ durations: { running: 5 } }, 'unknown field durations.running'],
    [{ createErrors: ['Throttled'] }, 'createErrors[0] must be one of ThrottlingException'],
    [{ createErrors: 'ThrottlingException' }, 'createErrors must be a list'],
    [
      { finalStatus: 'Done' },
      'finalStatus must be one of Completed, PartiallyCompleted, Failed, Stopped, Expired',
    ],
    [{ recordErrorRate: 1.5 }, 'recordErrorRate must be a number from 0 to 1, got 1.5'],
    [{ recordErrorTimes: 0 }, 'recordErrorTimes must be an integer >= 1, got 0'],
    [{ seed: -1 }, 'seed must be an integer >= 0'],
    [{ minRecordsPerJob: 0 }, 'minRecordsPerJob must be an integer >= 1'],
    [{ maxConcurrentJobs: '20' }, 'maxConcurrentJobs must be an integer >= 1, got "20"'],
    [{ stuck: 'yes' }, 'stuck must be true or false'],
    [{ durations: { inProgress: 1.5 } }, 'durations.inProgress must be an integer >= 0'],
    [[], 'must be an object'],
  ])('rejects %j with a message naming the field', (value, message) => {
    expect(() => parseFaults(value)).toThrow(FaultsFileError);
    expect(() => parseFaults(value)).toThrow(message);
  });

  it('reads a file, and names the file when it is missing or not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faults-'));
    await writeFile(join(dir, 'ok.json'), '{"seed": 3}');
    await writeFile(join(dir, 'bad.json'), '{seed: 3}');
    await writeFile(join(dir, 'unknown.json'), '{"sede": 3}');
    expect(await readFaultsFile(join(dir, 'ok.json'))).toEqual({ seed: 3 });
    await expect(readFaultsFile(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json is not valid JSON/);
    await expect(readFaultsFile(join(dir, 'missing.json'))).rejects.toThrow(
      /cannot read faults file .*missing\.json/,
    );
    await expect(readFaultsFile(join(dir, 'unknown.json'))).rejects.toThrow(
      /unknown\.json: unknown field sede/,
    );
  });
});

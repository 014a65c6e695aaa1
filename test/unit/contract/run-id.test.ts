import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  baseName,
  clientRequestTokenFor,
  decodeEventKey,
  encodeEventKey,
  eventKeyCandidates,
  jobNameFor,
  runIdFor,
  slugify,
} from '../../../lambda/core/contract/run-id';

const JOB_NAME = /^[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9+\-.]){0,63}$/;
const TOKEN = /^[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}$/;
const RUN_ID = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const S3_URI_KEY = /^[-!_*'().a-zA-Z0-9/]+$/;

describe('decodeEventKey (test matrix rows 1 and 2)', () => {
  it('decodes spaces, plus, parentheses and accents exactly once', () => {
    expect(decodeEventKey('inbox/qa/Q3+report%2Bx+%281%29+caf%C3%A9.csv')).toBe(
      'inbox/qa/Q3 report+x (1) café.csv',
    );
  });

  it('accepts parentheses left unescaped', () => {
    expect(decodeEventKey('inbox/qa/Q3+report+(1).csv')).toBe('inbox/qa/Q3 report (1).csv');
  });

  it('keeps a literal %2B in the key as %2B (not decoded twice)', () => {
    expect(decodeEventKey('inbox/qa/price%252Bvat.csv')).toBe('inbox/qa/price%2Bvat.csv');
  });

  it('turns %2B into a plus and + into a space', () => {
    expect(decodeEventKey('inbox/qa/a%2Bb+c.csv')).toBe('inbox/qa/a+b c.csv');
  });

  it('returns undefined for text that is not valid encoding', () => {
    expect(decodeEventKey('inbox/qa/bad%E0%A4%A.csv')).toBeUndefined();
    expect(decodeEventKey('inbox/qa/100%.csv')).toBeUndefined();
  });

  it('offers the plain-percent reading only when a + makes the text ambiguous', () => {
    expect(eventKeyCandidates('inbox/qa/a+b%20c.csv')).toEqual(['inbox/qa/a b c.csv', 'inbox/qa/a+b c.csv']);
    expect(eventKeyCandidates('inbox/qa/a%2Bb.csv')).toEqual(['inbox/qa/a+b.csv']);
    expect(eventKeyCandidates('inbox/qa/%E0.csv')).toEqual([]);
  });

  it('encodes keys the way S3 writes them into events', () => {
    expect(encodeEventKey('inbox/qa/Q3 report+x (1) café.csv')).toBe(
      'inbox/qa/Q3+report%2Bx+%281%29+caf%C3%A9.csv',
    );
  });

  it('round-trips any key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (key) => {
        expect(decodeEventKey(encodeEventKey(key))).toBe(key);
      }),
    );
  });
});

describe('runIdFor', () => {
  const source = { bucket: 'input-bucket', key: 'inbox/qa/Q3 report+x (1) café.csv', versionId: 'v1' };

  it('is a readable slug of the file name plus 12 hex characters', () => {
    expect(runIdFor(source)).toMatch(/^Q3-report-x-1-cafe-[0-9a-f]{12}$/);
  });

  it('is the same for the same object version (a duplicate event)', () => {
    expect(runIdFor({ ...source })).toBe(runIdFor(source));
  });

  it('differs for a new version, another bucket, another folder', () => {
    const ids = new Set([
      runIdFor(source),
      runIdFor({ ...source, versionId: 'v2' }),
      runIdFor({ ...source, bucket: 'other-bucket' }),
      runIdFor({ ...source, key: 'inbox/other/Q3 report+x (1) café.csv' }),
    ]);
    expect(ids.size).toBe(4);
  });

  it('uses the ETag when the bucket is not versioned', () => {
    const a = runIdFor({ bucket: 'b', key: 'inbox/qa/x.csv', etag: 'e1' });
    const b = runIdFor({ bucket: 'b', key: 'inbox/qa/x.csv', etag: 'e2' });
    expect(a).not.toBe(b);
  });

  it('stays at most 80 characters for a 1,000-byte key, and unique (row 3)', () => {
    const long = `inbox/qa/${'é'.repeat(300)}${'x'.repeat(386)}`;
    expect(Buffer.byteLength(`${long}a.csv`)).toBe(1000);
    const a = runIdFor({ bucket: 'b', key: `${long}a.csv`, versionId: 'v' });
    const b = runIdFor({ bucket: 'b', key: `${long}b.csv`, versionId: 'v' });
    expect(a.length).toBeLessThanOrEqual(80);
    expect(a).toMatch(RUN_ID);
    expect(a).not.toBe(b);
  });

  it('falls back to "run" when the name has no ASCII letters or digits', () => {
    expect(runIdFor({ bucket: 'b', key: 'inbox/qa/日本語.csv', versionId: 'v' })).toMatch(
      /^run-[0-9a-f]{12}$/,
    );
  });

  it('only ever produces [A-Za-z0-9-], starting and ending alphanumeric, at most 80', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 1200 }),
        fc.string({ maxLength: 40 }),
        (key, version) => {
          const id = runIdFor({ bucket: 'b', key, versionId: version });
          expect(id).toMatch(RUN_ID);
          expect(id.length).toBeLessThanOrEqual(80);
        },
      ),
    );
  });
});

describe('slugify and baseName', () => {
  it('drops folders and the .csv extension', () => {
    expect(baseName('inbox/qa/sub/Data.CSV')).toBe('Data');
  });

  it('collapses runs of other characters and trims dashes after shortening', () => {
    expect(slugify('--a  b__c--', 80)).toBe('a-b-c');
    expect(slugify('abc def', 4)).toBe('abc');
  });
});

describe('job names and tokens (Bedrock patterns)', () => {
  const longRun = runIdFor({ bucket: 'b', key: `inbox/qa/${'a'.repeat(990)}.csv`, versionId: 'v' });

  it('builds a readable job name within 63 characters', () => {
    expect(jobNameFor('Q3-report-0123456789ab', 2, 1)).toBe('Q3-report-0123456789ab-s2-a1');
    const name = jobNameFor(longRun, 12345, 2);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(JOB_NAME);
    expect(name).toContain(longRun.slice(-12));
  });

  it('is unique per run, shard and attempt', () => {
    const names = new Set([
      jobNameFor(longRun, 1, 1),
      jobNameFor(longRun, 1, 2),
      jobNameFor(longRun, 2, 1),
      jobNameFor(longRun.replace(/.{12}$/, '0123456789ab'), 1, 1),
    ]);
    expect(names.size).toBe(4);
  });

  it('gives a second round its own names and tokens, keeping the first round unchanged', () => {
    expect(jobNameFor('Q3-report-0123456789ab', 2, 1, 1)).toBe('Q3-report-0123456789ab-s2-a1');
    expect(jobNameFor('Q3-report-0123456789ab', 2, 1, 2)).toBe('Q3-report-0123456789ab-r2-j2-a1');
    expect(clientRequestTokenFor('Q3-report-0123456789ab', 2, 1, 2)).toBe('Q3-report-0123456789ab-r2-j2-a1');
    const long = jobNameFor(longRun, 12345, 2, 2);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(JOB_NAME);
    expect(long).toContain(longRun.slice(-12));
    expect(clientRequestTokenFor(longRun, 3, 1, 2)).toMatch(TOKEN);
    expect(clientRequestTokenFor(longRun, 3, 1, 2)).not.toBe(clientRequestTokenFor(longRun, 3, 1));
    expect(() => jobNameFor(longRun, 1, 1, 0)).toThrow(/Round must be a positive integer/);
  });

  it('builds a token Bedrock accepts, stable for the same submission', () => {
    const token = clientRequestTokenFor(longRun, 7, 1);
    expect(token).toMatch(TOKEN);
    expect(token).toBe(clientRequestTokenFor(longRun, 7, 1));
    expect(token).not.toBe(clientRequestTokenFor(longRun, 7, 2));
  });

  it('always matches the patterns, for any file name, shard and attempt', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 1000 }),
        fc.integer({ min: 1, max: 99_999 }),
        fc.integer({ min: 1, max: 9 }),
        (key, shard, attempt) => {
          const runId = runIdFor({ bucket: 'b', key, versionId: 'v' });
          const name = jobNameFor(runId, shard, attempt);
          expect(name).toMatch(JOB_NAME);
          expect(name.length).toBeLessThanOrEqual(63);
          expect(clientRequestTokenFor(runId, shard, attempt)).toMatch(TOKEN);
        },
      ),
    );
  });

  it('gives keys that fit the S3Uri pattern Bedrock checks', () => {
    expect(`runs/${longRun}/batch-input/shard-0001.jsonl`).toMatch(S3_URI_KEY);
  });

  it('rejects what is not a run id, and shard 0', () => {
    expect(() => jobNameFor('bad id', 1, 1)).toThrow(/Not a run id/);
    expect(() => jobNameFor('Q3-report-0123456789ab', 0, 1)).toThrow(/positive integers/);
  });
});

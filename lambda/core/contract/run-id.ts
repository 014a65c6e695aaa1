/**
 * From an S3 event to names: decode the event's object key, derive the run id, and derive the
 * Bedrock job names and idempotency tokens from it (a contract: see docs/design.md).
 *
 * S3 writes object keys into its events form-encoded (`application/x-www-form-urlencoded`: a space is
 * `+`, a literal `+` is `%2B`); docs/lifecycle.md gives the sources. A key is decoded exactly once.
 */
import { createHash } from 'node:crypto';
import { inputFormatOf } from '../input/format';
import type { SourceObject } from './types';

/** Longest run id: also the Step Functions execution name limit. */
export const MAX_RUN_ID_LENGTH = 80;
/** Longest Bedrock job name. */
export const MAX_JOB_NAME_LENGTH = 63;
/** Hex characters of the SHA-256 digest that make a run id unique. */
export const RUN_HASH_LENGTH = 12;

const FALLBACK_SLUG = 'run';

/**
 * The object key as stored in S3, from its form-encoded form in an S3 event; `undefined` when the
 * text is not valid form encoding (a malformed `%` escape or bytes that are not UTF-8).
 *
 * @example decodeEventKey('inbox/qa/Q3+report%2Bx+%281%29+caf%C3%A9.csv') // 'inbox/qa/Q3 report+x (1) café.csv'
 */
export function decodeEventKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/**
 * The keys an event's key text can stand for, most likely first: form decoding (what S3 documents),
 * then plain percent decoding when that differs, that is when the text holds a `+` that might be a
 * literal plus (docs/lifecycle.md explains why both are considered). Empty when the text is malformed.
 *
 * @example eventKeyCandidates('inbox/qa/a+b.csv') // ['inbox/qa/a b.csv', 'inbox/qa/a+b.csv']
 */
export function eventKeyCandidates(encoded: string): string[] {
  const form = decodeEventKey(encoded);
  if (form === undefined) return [];
  const plain = decodeURIComponent(encoded);
  return plain === form ? [form] : [form, plain];
}

/**
 * The form encoding S3 applies to keys in its events (the inverse of {@link decodeEventKey}); used
 * by the local trigger and by tests to build events the way S3 does. `/` is left as is.
 *
 * @example encodeEventKey('inbox/qa/a b+c.csv') // 'inbox/qa/a+b%2Bc.csv'
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+')
    .replaceAll('%2F', '/');
}

/**
 * A readable slug: ASCII letters and digits kept (accents dropped), every other run of characters
 * becomes one `-`, no `-` at either end, at most `maxLength` characters; `run` when nothing is left.
 *
 * @example slugify('Q3 report+x (1) café') // 'Q3-report-x-1-cafe'
 */
export function slugify(text: string, maxLength: number): string {
  const ascii = text.normalize('NFKD').replace(/\p{M}/gu, '');
  const slug = ascii
    .replace(/[^A-Za-z0-9]+/g, '-')
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? FALLBACK_SLUG.slice(0, maxLength) : slug;
}

/** The file's base name without its folders and without an input format's extension (`.csv`, `.xlsx`, ...). */
export function baseName(key: string): string {
  const file = key.slice(key.lastIndexOf('/') + 1);
  return inputFormatOf(file) === undefined ? file : file.slice(0, file.lastIndexOf('.'));
}

/** 12 hex characters of SHA-256 over the object's identity (bucket, key, and version or ETag). */
export function runHash(source: SourceObject): string {
  const identity =
    source.versionId !== undefined ? ['version', source.versionId] : ['etag', source.etag ?? ''];
  return createHash('sha256')
    .update(JSON.stringify([source.bucket, source.key, ...identity]))
    .digest('hex')
    .slice(0, RUN_HASH_LENGTH);
}

/**
 * The run id for an uploaded object: `<slug of the file name>-<12 hex>`, only `[A-Za-z0-9-]`, at most
 * 80 characters. The same object version always gets the same id; a new version gets a new one.
 *
 * @example runIdFor({ bucket: 'in', key: 'inbox/qa/Q3 report.csv', versionId: 'v1' }) // 'Q3-report-1f0c…'
 */
export function runIdFor(source: SourceObject): string {
  const slug = slugify(baseName(source.key), MAX_RUN_ID_LENGTH - RUN_HASH_LENGTH - 1);
  return `${slug}-${runHash(source)}`;
}

/** The 12-hex hash at the end of a run id, which every job name of the run contains; else `undefined`. */
export function runHashOf(runId: string): string | undefined {
  try {
    const { hash } = splitRunId(runId);
    return /^[0-9a-f]{12}$/.test(hash) ? hash : undefined;
  } catch {
    return undefined;
  }
}

function splitRunId(runId: string): { slug: string; hash: string } {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(runId) || runId.length > MAX_RUN_ID_LENGTH) {
    throw new Error(`Not a run id: ${JSON.stringify(runId.slice(0, MAX_RUN_ID_LENGTH + 1))}`);
  }
  const dash = runId.length - RUN_HASH_LENGTH - 1;
  if (dash > 0 && runId[dash] === '-') return { slug: runId.slice(0, dash), hash: runId.slice(dash + 1) };
  return { slug: '', hash: runId };
}

function attemptSuffix(shard: number, attempt: number, round: number): string {
  if (!Number.isInteger(shard) || shard < 1 || !Number.isInteger(attempt) || attempt < 1) {
    throw new Error(`Shard and attempt must be positive integers, got ${shard} and ${attempt}`);
  }
  if (!Number.isInteger(round) || round < 1)
    throw new Error(`Round must be a positive integer, got ${round}`);
  return round === 1 ? `s${shard}-a${attempt}` : `r${round}-j${shard}-a${attempt}`;
}

/**
 * The Bedrock job name for one submission: `<slug, shortened>-<run hash>-s<shard>-a<attempt>`, or for
 * a second round `...-r<round>-j<retry job>-a<attempt>`; at most 63 characters and matching Bedrock's
 * jobName pattern; unique per (run, round, shard or retry job, attempt).
 *
 * @example jobNameFor('Q3-report-0123456789ab', 2, 1) // 'Q3-report-0123456789ab-s2-a1'
 * @example jobNameFor('Q3-report-0123456789ab', 1, 1, 2) // 'Q3-report-0123456789ab-r2-j1-a1'
 */
export function jobNameFor(runId: string, shard: number, attempt: number, round = 1): string {
  const { slug, hash } = splitRunId(runId);
  const tail = `${hash}-${attemptSuffix(shard, attempt, round)}`;
  const room = MAX_JOB_NAME_LENGTH - tail.length - 1;
  const head = room > 0 ? slug.slice(0, room).replace(/-+$/, '') : '';
  return head === '' ? tail : `${head}-${tail}`;
}

/**
 * The `clientRequestToken` for one submission: `<runId>-s<shard>-a<attempt>` (second round:
 * `<runId>-r<round>-j<retry job>-a<attempt>`). A retried Submit job sends the same token, so Bedrock
 * returns the job it already created instead of a second one.
 *
 * @example clientRequestTokenFor('Q3-report-0123456789ab', 2, 1) // 'Q3-report-0123456789ab-s2-a1'
 */
export function clientRequestTokenFor(runId: string, shard: number, attempt: number, round = 1): string {
  splitRunId(runId);
  return `${runId}-${attemptSuffix(shard, attempt, round)}`;
}

/** ListModelInvocationJobs: query validation, filters, creation-time sort and opaque page tokens. */
import { ApiError, validationError } from './api-error';
import { type Job, jobView } from './job';
import { JOB_NAME, JOB_STATUSES } from './patterns';

/** Page size when `maxResults` is absent (AWS's default is not documented). */
const DEFAULT_PAGE_SIZE = 100;

interface ListQuery {
  readonly after?: number;
  readonly before?: number;
  readonly status?: string;
  readonly nameContains?: string;
  readonly maxResults: number;
  readonly ascending: boolean;
  readonly nextToken?: string;
}

function parseTime(value: string, field: string, problems: string[]): number | undefined {
  const time = Date.parse(value);
  if (Number.isNaN(time))
    problems.push(`Value '${value}' at '${field}' failed to satisfy constraint: Member must be a timestamp`);
  return time;
}

function parseQuery(params: URLSearchParams): ListQuery {
  const problems: string[] = [];
  const get = (name: string) => params.get(name) ?? undefined;
  const status = get('statusEquals');
  if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) {
    problems.push(
      `Value '${status}' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: [${JOB_STATUSES.join(', ')}]`,
    );
  }
  const nameContains = get('nameContains');
  if (nameContains !== undefined && (!JOB_NAME.test(nameContains) || nameContains.length > 63)) {
    problems.push(
      `Value '${nameContains}' at 'nameContains' failed to satisfy constraint: Member must satisfy regular expression pattern: ${JOB_NAME.source.slice(4, -2)}`,
    );
  }
  const max = get('maxResults');
  const maxResults = max === undefined ? DEFAULT_PAGE_SIZE : Number(max);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
    problems.push(
      `Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const sortBy = get('sortBy');
  if (sortBy !== undefined && sortBy !== 'CreationTime') {
    problems.push(
      `Value '${sortBy}' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [CreationTime]`,
    );
  }
  const sortOrder = get('sortOrder');
  if (sortOrder !== undefined && sortOrder !== 'Ascending' && sortOrder !== 'Descending') {
    problems.push(
      `Value '${sortOrder}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]`,
    );
  }
  const nextToken = get('nextToken');
  if (nextToken !== undefined && (nextToken.length < 1 || nextToken.length > 2048 || /\s/.test(nextToken))) {
    problems.push(
      `Value at 'nextToken' failed to satisfy constraint: Member must have length between 1 and 2048`,
    );
  }
  const afterText = get('submitTimeAfter');
  const beforeText = get('submitTimeBefore');
  const after = afterText === undefined ? undefined : parseTime(afterText, 'submitTimeAfter', problems);
  const before = beforeText === undefined ? undefined : parseTime(beforeText, 'submitTimeBefore', problems);
  if (problems.length > 0) throw validationError(problems);
  return { after, before, status, nameContains, maxResults, ascending: sortOrder === 'Ascending', nextToken };
}

const encodeToken = (jobId: string, fingerprint: string) =>
  Buffer.from(JSON.stringify({ v: 1, after: jobId, f: fingerprint })).toString('base64url');

function decodeToken(token: string, fingerprint: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      after?: unknown;
      f?: unknown;
    };
    if (typeof parsed.after === 'string' && parsed.f === fingerprint) return parsed.after;
  } catch {}
  throw new ApiError('ValidationException', 'The provided pagination token is not valid for this request.');
}

/**
 * The List response body for `jobs` (in creation order) and the request's query string.
 *
 * Sorted by submit time, Descending unless `sortOrder=Ascending`; a page token resumes after the
 * last job returned and is valid only with the same filters.
 */
export function listJobs(jobs: readonly Job[], params: URLSearchParams): Record<string, unknown> {
  const query = parseQuery(params);
  const fingerprint = JSON.stringify([
    query.after,
    query.before,
    query.status,
    query.nameContains,
    query.ascending,
  ]);
  const matching = jobs.filter(
    (job) =>
      (query.status === undefined || job.status === query.status) &&
      (query.nameContains === undefined || job.request.jobName.includes(query.nameContains)) &&
      (query.after === undefined || job.submitTime > query.after) &&
      (query.before === undefined || job.submitTime < query.before),
  );
  const ordered = [...matching].sort((a, b) => a.submitTime - b.submitTime || a.sequence - b.sequence);
  if (!query.ascending) ordered.reverse();
  let start = 0;
  if (query.nextToken !== undefined) {
    const afterId = decodeToken(query.nextToken, fingerprint);
    start = ordered.findIndex((job) => job.id === afterId) + 1;
  }
  const page = ordered.slice(start, start + query.maxResults);
  const more = start + query.maxResults < ordered.length;
  return {
    invocationJobSummaries: page.map(jobView),
    ...(more ? { nextToken: encodeToken(page[page.length - 1]!.id, fingerprint) } : {}),
  };
}

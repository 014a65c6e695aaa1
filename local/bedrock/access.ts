/**
 * A plain IAM evaluator for the Bedrock role's S3 statements: explicit Deny wins, then any Allow, else
 * implicit deny. Supports Action/NotAction, Resource/NotResource with `*` and `?` wildcards, and the
 * common string, ARN and Bool condition operators (with `IfExists`, `ForAnyValue:`, `ForAllValues:`).
 */

/** One IAM policy statement, with plain strings (tokens resolved). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>
  >;
}

/**
 * What the emulator checks a job's role against: the pipeline's Bedrock role and its S3 statements.
 *
 * @example { bedrockRoleArn: 'arn:aws:iam::123456789012:role/Batch', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::in/*' }] }
 */
export interface AccessPolicy {
  readonly bedrockRoleArn: string;
  readonly statements: readonly PolicyStatement[];
}

/** One request to authorize. */
export interface AccessRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys (lower-case names are matched case-insensitively), e.g. `s3:prefix`. */
  readonly context?: Readonly<Record<string, string>>;
}

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value);
}

const matchesAny = (patterns: readonly string[], value: string, caseInsensitive: boolean) =>
  patterns.some((pattern) => wildcard(pattern, value, caseInsensitive));

type Operator = (expected: string, actual: string) => boolean;

const OPERATORS: Readonly<Record<string, { test: Operator; negated: boolean }>> = {
  StringEquals: { test: (e, a) => e === a, negated: false },
  StringNotEquals: { test: (e, a) => e === a, negated: true },
  StringEqualsIgnoreCase: { test: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: true },
  StringLike: { test: (e, a) => wildcard(e, a, false), negated: false },
  StringNotLike: { test: (e, a) => wildcard(e, a, false), negated: true },
  ArnEquals: { test: (e, a) => e === a, negated: false },
  ArnLike: { test: (e, a) => wildcard(e, a, false), negated: false },
  ArnNotEquals: { test: (e, a) => e === a, negated: true },
  ArnNotLike: { test: (e, a) => wildcard(e, a, false), negated: true },
  Bool: { test: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: false },
};

function conditionHolds(
  operatorName: string,
  key: string,
  expected: readonly string[],
  context: Record<string, string>,
) {
  const name = operatorName.replace(/^For(Any|All)Values:/, '');
  const ifExists = name.endsWith('IfExists');
  const operator = OPERATORS[ifExists ? name.slice(0, -'IfExists'.length) : name];
  if (operator === undefined) return false;
  const actual = context[key.toLowerCase()];
  if (actual === undefined) return ifExists || operator.negated;
  const any = expected.some((value) => operator.test(value, actual));
  return operator.negated ? !any : any;
}

function statementApplies(statement: PolicyStatement, request: AccessRequest): boolean {
  const actionMatch =
    statement.Action !== undefined
      ? matchesAny(list(statement.Action), request.action, true)
      : !matchesAny(list(statement.NotAction), request.action, true);
  if (!actionMatch) return false;
  const resourceMatch =
    statement.Resource !== undefined
      ? matchesAny(list(statement.Resource), request.resource, false)
      : !matchesAny(list(statement.NotResource), request.resource, false);
  if (!resourceMatch) return false;
  const context = Object.fromEntries(
    Object.entries(request.context ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
  );
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, value]) =>
      conditionHolds(operator, key, list(typeof value === 'boolean' ? String(value) : value), context),
    ),
  );
}

/**
 * True when the statements allow the request.
 *
 * @example isAllowed(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::in/run/a.jsonl' })
 */
export function isAllowed(statements: readonly PolicyStatement[], request: AccessRequest): boolean {
  const applicable = statements.filter((statement) => statementApplies(statement, request));
  if (applicable.some((statement) => statement.Effect === 'Deny')) return false;
  return applicable.some((statement) => statement.Effect === 'Allow');
}

import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { type AccessRequest, isAllowed, type PolicyStatement } from '../../../local/bedrock/access';

const ACCOUNT = '123456789012';

const statements: PolicyStatement[] = [
  {
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:GetObjectVersion'],
    Resource: 'arn:aws:s3:::work-bucket/jobs/*',
  },
  {
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: 'arn:aws:s3:::work-bucket',
    Condition: { StringLike: { 's3:prefix': ['jobs/*', 'jobs'] } },
  },
  { Effect: 'Allow', Action: 's3:Put*', Resource: ['arn:aws:s3:::work-bucket/bedrock-out/*'] },
  {
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::shared-bucket/*',
    Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } },
  },
  { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::work-bucket/jobs/private/*' },
  { Effect: 'Deny', NotAction: 's3:GetObject', Resource: 'arn:aws:s3:::frozen-bucket/*' },
  { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::frozen-bucket/*' },
  {
    Effect: 'Deny',
    Action: 's3:*',
    Resource: '*',
    Condition: { Bool: { 'aws:SecureTransport': false } },
  },
];

const cases: [string, AccessRequest][] = [
  ['read a job file', { action: 's3:GetObject', resource: 'arn:aws:s3:::work-bucket/jobs/r1/a.jsonl' }],
  ['read outside the prefix', { action: 's3:GetObject', resource: 'arn:aws:s3:::work-bucket/other/a.jsonl' }],
  [
    'read a denied file',
    { action: 's3:GetObject', resource: 'arn:aws:s3:::work-bucket/jobs/private/a.jsonl' },
  ],
  ['action names ignore case', { action: 'S3:getobject', resource: 'arn:aws:s3:::work-bucket/jobs/x' }],
  [
    'list the job prefix',
    { action: 's3:ListBucket', resource: 'arn:aws:s3:::work-bucket', context: { 's3:prefix': 'jobs/r1/' } },
  ],
  [
    'list another prefix',
    { action: 's3:ListBucket', resource: 'arn:aws:s3:::work-bucket', context: { 's3:prefix': 'other/' } },
  ],
  ['list without a prefix', { action: 's3:ListBucket', resource: 'arn:aws:s3:::work-bucket' }],
  [
    'write output',
    { action: 's3:PutObject', resource: 'arn:aws:s3:::work-bucket/bedrock-out/j/manifest.json.out' },
  ],
  ['write input', { action: 's3:PutObject', resource: 'arn:aws:s3:::work-bucket/jobs/x' }],
  [
    'same account',
    {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::shared-bucket/k',
      context: { 'aws:ResourceAccount': ACCOUNT },
    },
  ],
  [
    'other account',
    {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::shared-bucket/k',
      context: { 'aws:ResourceAccount': '999999999999' },
    },
  ],
  ['NotAction deny spares GetObject', { action: 's3:GetObject', resource: 'arn:aws:s3:::frozen-bucket/k' }],
  ['NotAction deny hits PutObject', { action: 's3:PutObject', resource: 'arn:aws:s3:::frozen-bucket/k' }],
  [
    'plain HTTP denied',
    {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::work-bucket/jobs/a',
      context: { 'aws:SecureTransport': 'false' },
    },
  ],
  [
    'wildcard ? matches one character',
    { action: 's3:GetObject', resource: 'arn:aws:s3:::work-bucket/jobs/?' },
  ],
];

async function simulate(request: AccessRequest): Promise<boolean> {
  const result = await runSimulation(
    {
      identityPolicies: [{ name: 'role', policy: { Version: '2012-10-17', Statement: statements } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/BedrockRole`,
        action: request.action.toLowerCase(),
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: { 'aws:SecureTransport': 'true', ...request.context },
      },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult === 'Allowed';
}

describe('isAllowed', () => {
  it.each(cases)('agrees with an IAM simulator: %s', async (_label, request) => {
    const withTransport = { ...request, context: { 'aws:SecureTransport': 'true', ...request.context } };
    expect(isAllowed(statements, withTransport)).toBe(await simulate(request));
  });

  it('denies by default and when no statement matches', () => {
    expect(isAllowed([], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' })).toBe(false);
  });

  it('treats a missing condition key as false, and as true for IfExists and negated operators', () => {
    const allow = (Condition: PolicyStatement['Condition']): PolicyStatement[] => [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition },
    ];
    const request = { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' };
    expect(isAllowed(allow({ StringEquals: { 'aws:PrincipalTag/team': 'x' } }), request)).toBe(false);
    expect(isAllowed(allow({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'x' } }), request)).toBe(true);
    expect(isAllowed(allow({ StringNotEquals: { 'aws:PrincipalTag/team': 'x' } }), request)).toBe(true);
    expect(isAllowed(allow({ NumericLessThan: { 's3:max-keys': '10' } }), request)).toBe(false);
  });
});

import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { defaultStack } from './fixture';
import { nameOf, policiesOfRole, resolveValue, roleOfFunction } from './resolve';

const { json, logicalIds } = defaultStack();
const ACCOUNT = '123456789012';
const idOf = (fragment: string, type: string) =>
  Object.keys(json.Resources).find((id) => json.Resources[id]!.Type === type && id.includes(fragment))!;
const bedrockRoleId = idOf('BedrockServiceRole', 'AWS::IAM::Role');
const bedrockRoleArn = `arn:aws:iam::${ACCOUNT}:role/${bedrockRoleId}`;
const bucket = (fragment: string) => nameOf(idOf(fragment, 'AWS::S3::Bucket'));
const work = bucket('WorkBucket');
const input = bucket('InputBucket');
const results = bucket('ResultsBucket');

async function decide(simulation: Omit<Simulation, 'serviceControlPolicies' | 'resourceControlPolicies'>) {
  const response = await runSimulation(
    { serviceControlPolicies: [], resourceControlPolicies: [], ...simulation },
    {},
  );
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

function asRole(
  roleId: string,
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
) {
  return decide({
    identityPolicies: policiesOfRole(json, roleId),
    request: {
      principal: `arn:aws:iam::${ACCOUNT}:role/${roleId}`,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: context,
    },
  });
}

const submitRole = roleOfFunction(json, logicalIds['submit-job']);

describe('PassRole', () => {
  it('lets Submit job pass the Bedrock role to bedrock.amazonaws.com', async () => {
    expect(
      await asRole(submitRole, 'iam:PassRole', bedrockRoleArn, {
        'iam:PassedToService': 'bedrock.amazonaws.com',
      }),
    ).toBe('Allowed');
  });

  it('does not let Submit job pass it to any other service', async () => {
    for (const service of ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'states.amazonaws.com']) {
      expect(
        await asRole(submitRole, 'iam:PassRole', bedrockRoleArn, { 'iam:PassedToService': service }),
      ).toBe('ImplicitlyDenied');
    }
  });

  it('does not let any other function pass it', async () => {
    for (const name of [
      'start-run',
      'prepare-input',
      'check-job',
      'collect-results',
      'record-failure',
    ] as const) {
      const role = roleOfFunction(json, logicalIds[name]);
      expect(
        await asRole(role, 'iam:PassRole', bedrockRoleArn, {
          'iam:PassedToService': 'bedrock.amazonaws.com',
        }),
        name,
      ).toBe('ImplicitlyDenied');
    }
  });
});

describe('Bedrock service role trust', () => {
  const trust = resolveValue(json, json.Resources[bedrockRoleId]!.Properties!.AssumeRolePolicyDocument);
  const assume = (principal: string, context: Record<string, string>) =>
    decide({
      identityPolicies: [],
      resourcePolicy: trust,
      request: {
        principal,
        action: 'sts:AssumeRole',
        resource: { resource: bedrockRoleArn, accountId: ACCOUNT },
        contextVariables: context,
      },
    });
  const ownJob = `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-invocation-job/abc123def456`;

  it('allows Bedrock acting for a job of this account', async () => {
    expect(
      await assume('bedrock.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': ownJob }),
    ).toBe('Allowed');
  });

  it('denies Bedrock acting for another account, and other services', async () => {
    const foreignJob = 'arn:aws:bedrock:us-east-1:999999999999:model-invocation-job/abc123def456';
    expect(
      await assume('bedrock.amazonaws.com', {
        'aws:SourceAccount': '999999999999',
        'aws:SourceArn': foreignJob,
      }),
    ).not.toBe('Allowed');
    expect(
      await assume('bedrock.amazonaws.com', {
        'aws:SourceAccount': ACCOUNT,
        'aws:SourceArn': `arn:aws:bedrock:us-east-1:${ACCOUNT}:custom-model/x/abc`,
      }),
    ).not.toBe('Allowed');
    expect(
      await assume('lambda.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': ownJob }),
    ).not.toBe('Allowed');
  });
});

describe('Bedrock service role permissions', () => {
  it('reads batch-input and writes batch-output of the work bucket', async () => {
    expect(
      await asRole(
        bedrockRoleId,
        's3:GetObject',
        `arn:aws:s3:::${work}/runs/r1/batch-input/shard-0001.jsonl`,
      ),
    ).toBe('Allowed');
    expect(
      await asRole(
        bedrockRoleId,
        's3:PutObject',
        `arn:aws:s3:::${work}/runs/r1/batch-output/abc/shard-0001.jsonl.out`,
      ),
    ).toBe('Allowed');
    expect(
      await asRole(
        bedrockRoleId,
        's3:GetObject',
        `arn:aws:s3:::${work}/runs/r1/retry-input/job-01/shard-0001.jsonl`,
      ),
    ).toBe('Allowed');
  });

  it('cannot write batch-input, read the row sidecars, or read the input or results buckets', async () => {
    const denied: [string, string][] = [
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/batch-input/shard-0001.jsonl`],
      ['s3:GetObject', `arn:aws:s3:::${work}/runs/r1/rows/shard-0001.jsonl`],
      ['s3:GetObject', `arn:aws:s3:::${input}/inbox/qa/file.csv`],
      ['s3:GetObject', `arn:aws:s3:::${results}/results/qa/r1/results.csv`],
    ];
    for (const [action, resource] of denied) {
      expect(await asRole(bedrockRoleId, action, resource), `${action} ${resource}`).toBe('ImplicitlyDenied');
    }
  });
});

describe('Invoke on demand permissions', () => {
  const role = roleOfFunction(json, logicalIds['invoke-on-demand']);
  const haiku = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';

  it('reads shards and retry inputs, writes outputs and invokes the pipeline model', async () => {
    const allowed: [string, string][] = [
      ['s3:GetObject', `arn:aws:s3:::${work}/runs/r1/batch-input/shard-0001.jsonl`],
      ['s3:GetObject', `arn:aws:s3:::${work}/runs/r1/retry-input/job-01/shard-0001.jsonl`],
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/batch-output/abc/shard-0001.jsonl.out`],
      ['bedrock:InvokeModel', haiku],
    ];
    for (const [action, resource] of allowed) {
      expect(await asRole(role, action, resource), `${action} ${resource}`).toBe('Allowed');
    }
  });

  it('cannot read the row sidecars or the inbox, write inputs or results, or invoke another model', async () => {
    const denied: [string, string][] = [
      ['s3:GetObject', `arn:aws:s3:::${work}/runs/r1/rows/shard-0001.jsonl`],
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/batch-input/shard-0001.jsonl`],
      ['s3:GetObject', `arn:aws:s3:::${input}/inbox/qa/file.csv`],
      ['s3:PutObject', `arn:aws:s3:::${results}/results/qa/r1/results.csv`],
      [
        'bedrock:InvokeModel',
        'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-opus-20240229-v1:0',
      ],
      ['bedrock:CreateModelInvocationJob', haiku],
    ];
    for (const [action, resource] of denied) {
      expect(await asRole(role, action, resource), `${action} ${resource}`).toBe('ImplicitlyDenied');
    }
  });
});

describe('Plan retry permissions', () => {
  const role = roleOfFunction(json, logicalIds['plan-retry']);

  it('reads the run and writes only the second round inputs and plan', async () => {
    const allowed: [string, string][] = [
      ['s3:GetObject', `arn:aws:s3:::${work}/runs/r1/rows/shard-0001.jsonl`],
      ['s3:GetObject', `arn:aws:s3:::${work}/runs/r1/batch-output/abc/shard-0001.jsonl.out`],
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/retry-input/job-01/shard-0001.jsonl`],
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/retry-plan.json`],
      ['s3:GetObject', `arn:aws:s3:::${work}/runs/r1/jobs/shard-0001.json`],
    ];
    for (const [action, resource] of allowed) {
      expect(await asRole(role, action, resource), `${action} ${resource}`).toBe('Allowed');
    }
    const denied: [string, string][] = [
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/batch-output/abc/shard-0001.jsonl.out`],
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/batch-input/shard-0001.jsonl`],
      ['s3:PutObject', `arn:aws:s3:::${results}/results/qa/r1/results.csv`],
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/jobs/shard-0001.json`],
      [
        'bedrock:InvokeModel',
        'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      ],
    ];
    for (const [action, resource] of denied) {
      expect(await asRole(role, action, resource), `${action} ${resource}`).toBe('ImplicitlyDenied');
    }
  });
});

describe('Record job result', () => {
  const role = roleOfFunction(json, logicalIds['record-job']);

  it("writes the iterations' results under runs/<runId>/jobs/ and nothing else", async () => {
    for (const key of ['runs/r1/jobs/shard-0001.json', 'runs/r1/jobs/retry-0001.json']) {
      expect(await asRole(role, 's3:PutObject', `arn:aws:s3:::${work}/${key}`), key).toBe('Allowed');
    }
    const denied: [string, string][] = [
      ['s3:GetObject', `arn:aws:s3:::${work}/runs/r1/jobs/shard-0001.json`],
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/plan.json`],
      ['s3:PutObject', `arn:aws:s3:::${work}/runs/r1/batch-output/abc/shard-0001.jsonl.out`],
      ['s3:PutObject', `arn:aws:s3:::${results}/results/qa/r1/results.csv`],
      ['s3:DeleteObject', `arn:aws:s3:::${work}/runs/r1/jobs/shard-0001.json`],
    ];
    for (const [action, resource] of denied) {
      expect(await asRole(role, action, resource), `${action} ${resource}`).toBe('ImplicitlyDenied');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { defaultStack } from './fixture';
import {
  logicalIdsOfType,
  nameOf,
  policiesOfRole,
  resolveValue,
  roleOfFunction,
  type Untyped,
} from './resolve';

const { json, logicalIds } = defaultStack();
const bedrockRoleId = Object.keys(json.Resources).find(
  (id) => json.Resources[id]!.Type === 'AWS::IAM::Role' && id.includes('BedrockServiceRole'),
)!;

function statementsOf(roleId: string): Untyped[] {
  return policiesOfRole(json, roleId).flatMap((p) => p.policy.Statement);
}

function actionsOf(statement: Untyped): string[] {
  return [statement.Action].flat();
}

describe('Bedrock service role', () => {
  it('is trusted by bedrock.amazonaws.com only, from this account and its model-invocation jobs', () => {
    const trust = json.Resources[bedrockRoleId]!.Properties!.AssumeRolePolicyDocument;
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(statement.Principal).toEqual({ Service: 'bedrock.amazonaws.com' });
    expect(statement.Action).toBe('sts:AssumeRole');
    expect(statement.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '123456789012' });
    expect(JSON.stringify(statement.Condition.ArnLike['aws:SourceArn'])).toContain(
      ':bedrock:us-east-1:123456789012:model-invocation-job/*',
    );
  });

  it('reads only batch-input and retry-input, writes only batch-output, lists only runs/', () => {
    const statements = statementsOf(bedrockRoleId);
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    const byAction = Object.fromEntries(s3.map((s) => [actionsOf(s).join(','), s]));
    expect(Object.keys(byAction).sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(byAction['s3:GetObject'].Resource).toHaveLength(2);
    expect(byAction['s3:GetObject'].Resource[0]).toMatch(/\/runs\/\*\/batch-input\/\*$/);
    expect(byAction['s3:GetObject'].Resource[1]).toMatch(/\/runs\/\*\/retry-input\/\*$/);
    expect(byAction['s3:PutObject'].Resource).toMatch(/\/runs\/\*\/batch-output\/\*$/);
    expect(byAction['s3:ListBucket'].Condition).toEqual({ StringLike: { 's3:prefix': ['runs/*'] } });
  });

  it('invokes the pipeline models only, with partition-aware ARNs', () => {
    const invoke = statementsOf(bedrockRoleId).find((s) => actionsOf(s).includes('bedrock:InvokeModel'));
    expect(invoke.Resource).toBe(
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
    );
    expect(JSON.stringify(json)).not.toContain('"arn:aws:');
  });
});

describe('function roles', () => {
  const roleOf = (name: keyof typeof logicalIds) => roleOfFunction(json, logicalIds[name]);

  it('grants iam:PassRole to Submit job only, on the Bedrock role only, for bedrock.amazonaws.com', () => {
    const passers = Object.entries(json.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .filter(([, r]) => JSON.stringify(r.Properties!.PolicyDocument).includes('iam:PassRole'))
      .map(([id]) => id);
    expect(passers).toHaveLength(1);
    const pass = statementsOf(roleOf('submit-job')).filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(pass).toHaveLength(1);
    expect(actionsOf(pass[0])).toEqual(['iam:PassRole']);
    expect(pass[0].Resource).toBe(`arn:aws:iam::123456789012:role/${bedrockRoleId}`);
    expect(pass[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } });
  });

  it('uses no wildcard actions and no Resource "*" beyond actions without resource-level permissions', () => {
    for (const [id, resource] of Object.entries(json.Resources)) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      for (const statement of resource.Properties!.PolicyDocument.Statement) {
        for (const action of actionsOf(statement)) expect(action, id).not.toContain('*');
        if (statement.Resource === '*') {
          const allowed = [
            'xray:',
            'logs:CreateLogDelivery',
            'logs:GetLogDelivery',
            'logs:UpdateLogDelivery',
          ];
          allowed.push('logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy');
          allowed.push('logs:DescribeResourcePolicies', 'logs:DescribeLogGroups', 's3:PutBucketNotification');
          allowed.push('bedrock:ListModelInvocationJobs');
          for (const action of actionsOf(statement)) {
            expect(
              allowed.some((prefix) => action.startsWith(prefix)),
              `${id}: ${action}`,
            ).toBe(true);
          }
        }
      }
    }
  });

  it('gives each function only its own S3 prefixes', () => {
    const s3Resources = (name: keyof typeof logicalIds) =>
      statementsOf(roleOf(name))
        .filter((s) => actionsOf(s).some((a) => a.startsWith('s3:') && a !== 's3:ListBucket'))
        .flatMap((s) => [s.Resource].flat().map((r: string) => `${actionsOf(s).join(',')} ${r}`));
    const prepare = s3Resources('prepare-input');
    expect(prepare.some((r) => r.startsWith('s3:GetObject') && r.endsWith('/inbox/*'))).toBe(true);
    expect(prepare.some((r) => r.startsWith('s3:PutObject') && r.endsWith('/runs/*'))).toBe(true);
    // A re-run reads the previous run's results; Prepare never writes there.
    const prepareResults = prepare.filter((r) => r.includes('results'));
    expect(prepareResults.map((r) => r.split(' ')[0])).toEqual(['s3:GetObject,s3:GetObjectVersion']);

    const collect = s3Resources('collect-results');
    expect(collect.some((r) => r.startsWith('s3:PutObject') && r.endsWith('/results/*'))).toBe(true);
    expect(collect.some((r) => r.includes('s3:PutObjectTagging') && r.endsWith('/inbox/*'))).toBe(true);
    expect(collect.some((r) => r.startsWith('s3:GetObject,') && r.endsWith('/inbox/*'))).toBe(false);

    const failure = s3Resources('record-failure');
    expect(failure.some((r) => r.startsWith('s3:PutObject') && r.endsWith('/results/*'))).toBe(true);
    expect(failure.some((r) => r.endsWith('/runs/*'))).toBe(false);

    const start = s3Resources('start-run');
    expect(start).toHaveLength(1);
    expect(start[0]).toMatch(/^s3:GetObject,s3:GetObjectVersion .*\/inbox\/\*$/);

    for (const name of ['submit-job', 'check-job', 'stop-jobs'] as const) {
      expect(s3Resources(name), name).toEqual([]);
    }
  });

  it('lets Invoke on demand read shards, write outputs and invoke the pipeline models, nothing more', () => {
    const statements = statementsOf(roleOf('invoke-on-demand')).filter(
      (s) => !actionsOf(s).some((a) => a.startsWith('xray:') || a.startsWith('logs:')),
    );
    const granted = statements.map((s): [string, string[]] => [actionsOf(s).join(','), [s.Resource].flat()]);
    const work = /^arn:aws:s3:::[a-z0-9]*workbucket[a-z0-9]*\//;
    expect(granted).toHaveLength(3);
    const [read, write, invoke] = [
      granted.find(([a]) => a === 's3:GetObject')!,
      granted.find(([a]) => a === 's3:PutObject,s3:AbortMultipartUpload')!,
      granted.find(([a]) => a === 'bedrock:InvokeModel')!,
    ];
    expect(read[1]).toHaveLength(2);
    expect(read[1][0]).toMatch(work);
    expect(read[1].map((r: string) => r.replace(work, ''))).toEqual([
      'runs/*/batch-input/*',
      'runs/*/retry-input/*',
    ]);
    expect(write[1]).toHaveLength(1);
    expect(write[1][0].replace(work, '')).toBe('runs/*/batch-output/*');
    expect(invoke[1]).toEqual([
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
    ]);
    const timeout = json.Resources[logicalIds['invoke-on-demand']]!.Properties!.Timeout;
    expect(timeout).toBe(900);
  });

  it('lets Submit job tag the jobs it creates, on model-invocation-job/* only', () => {
    const tag = statementsOf(roleOf('submit-job')).filter((s) =>
      actionsOf(s).includes('bedrock:TagResource'),
    );
    expect(tag.map((s) => [actionsOf(s), s.Resource])).toEqual([
      [['bedrock:TagResource'], 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/*'],
    ]);
    const others = Object.values(json.Resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes('bedrock:TagResource'),
    );
    expect(others).toHaveLength(1);
  });

  it('lets Stop jobs list jobs and stop them, nothing more', () => {
    const stop = statementsOf(roleOf('stop-jobs')).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('bedrock:')),
    );
    expect(stop.map((s) => [actionsOf(s).join(','), s.Resource])).toEqual([
      ['bedrock:ListModelInvocationJobs', '*'],
      ['bedrock:StopModelInvocationJob', 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/*'],
    ]);
  });

  it('lets Check job read and stop jobs only, and Start run start this state machine only', () => {
    const check = statementsOf(roleOf('check-job')).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('bedrock:')),
    );
    expect(check.flatMap(actionsOf).sort()).toEqual([
      'bedrock:GetModelInvocationJob',
      'bedrock:StopModelInvocationJob',
    ]);
    expect(check[0].Resource).toBe('arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/*');

    const start = statementsOf(roleOf('start-run')).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('states:')),
    );
    expect(start.flatMap(actionsOf)).toEqual(['states:StartExecution']);
    expect(start[0].Resource).toMatch(/^arn:aws:states:us-east-1:123456789012:stateMachine:/);
  });

  it('gives each function only the environment variables it needs', () => {
    const variables = (name: keyof typeof logicalIds) =>
      Object.keys(json.Resources[logicalIds[name]]!.Properties!.Environment.Variables)
        .filter((k) => !['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_TRACE_ENABLED', 'NODE_OPTIONS'].includes(k))
        .sort();
    expect(variables('start-run')).toEqual(['INPUT_BUCKET', 'STATE_MACHINE_ARN']);
    expect(variables('prepare-input')).toEqual([
      'COLLECT_STORAGE_MIB',
      'PIPELINES_DIR',
      'RESULTS_BUCKET',
      'WORK_BUCKET',
    ]);
    expect(variables('submit-job')).toEqual(['BEDROCK_ROLE_ARN', 'WORK_BUCKET']);
    expect(variables('check-job')).toEqual([]);
    expect(variables('collect-results')).toEqual(['RESULTS_BUCKET', 'WORK_BUCKET']);
    expect(variables('record-failure')).toEqual(['RESULTS_BUCKET']);
    expect(variables('stop-jobs')).toEqual([]);
    expect(variables('invoke-on-demand')).toEqual(['WORK_BUCKET']);
    expect(variables('plan-retry')).toEqual(['WORK_BUCKET']);
  });
});

describe('the input bucket (matrix 24)', () => {
  // The bucket Start run reads events of: the one its INPUT_BUCKET names.
  const inputId = json.Resources[logicalIds['start-run']]!.Properties!.Environment.Variables.INPUT_BUCKET.Ref;
  const objectArn = (key: string) => `arn:aws:s3:::${nameOf(inputId)}/${key}`;
  /** IAM's `*` and `?` wildcards (actions match in any letter case). */
  const glob = (pattern: string, value: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    ).test(value);
  /** Object writes: each creates (PutObject also authorizes copies and multipart uploads) or removes an object. */
  const writes = [
    's3:PutObject',
    's3:DeleteObject',
    's3:DeleteObjectVersion',
    's3:AbortMultipartUpload',
    's3:RestoreObject',
    's3:ReplicateObject',
    's3:ReplicateDelete',
  ];
  const roles = logicalIdsOfType(json, 'AWS::IAM::Role');
  /** The actions a role is allowed on some object of the input bucket. */
  const inputObjectActions = (roleId: string) =>
    statementsOf(roleId)
      .filter((s) =>
        [s.Resource]
          .flat()
          .some((r) => String(r).startsWith(objectArn('')) || glob(String(r), objectArn('inbox/qa/a.csv'))),
      )
      .flatMap(actionsOf);

  it('lets no role write or delete its objects, so the product never starts a run itself', () => {
    const functionRoles = Object.values(logicalIds).map((id) => roleOfFunction(json, id));
    expect(roles).toEqual(expect.arrayContaining([...functionRoles, bedrockRoleId]));
    // Only identity policies grant, and only by Allow statements of named actions and resources.
    for (const role of roles) {
      expect(json.Resources[role]!.Properties!.Policies, role).toBeUndefined();
      for (const arn of resolveValue(json, json.Resources[role]!.Properties!.ManagedPolicyArns ?? [])) {
        expect(arn, role).toMatch(/:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/);
      }
      for (const statement of statementsOf(role)) {
        expect([statement.Effect, statement.NotAction, statement.NotResource], role).toEqual([
          'Allow',
          undefined,
          undefined,
        ]);
      }
    }
    const writing = roles.flatMap((role) =>
      inputObjectActions(role)
        .filter((action) => writes.some((write) => glob(action, write)))
        .map((action) => `${role} ${action}`),
    );
    expect(writing).toEqual([]);
  });

  it("lets Collect and Record failure tag the analyst's object (tagging creates no Object Created event)", () => {
    const taggers = roles.filter((role) =>
      inputObjectActions(role).some((a) => glob(a, 's3:PutObjectTagging')),
    );
    const roleOf = (name: keyof typeof logicalIds) => roleOfFunction(json, logicalIds[name]);
    expect(taggers.sort()).toEqual([roleOf('collect-results'), roleOf('record-failure')].sort());
  });

  it('has a bucket policy that only denies', () => {
    const policies = Object.values(json.Resources).filter(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties!.Bucket.Ref === inputId,
    );
    expect(policies).toHaveLength(1);
    const effects = policies[0]!.Properties!.PolicyDocument.Statement.map((s: Untyped) => s.Effect);
    expect(new Set(effects)).toEqual(new Set(['Deny']));
  });
});

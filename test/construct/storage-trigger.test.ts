import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseInboxKey } from '../../lambda/core/contract/layout';
import { HANDLER_NAMES } from '../../lib/handler-names';
import { defaultStack } from './fixture';

const template = Template.fromJSON(defaultStack().template);

describe('buckets', () => {
  it('creates four buckets that block public access, are encrypted and are retained', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(4);
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
          .SSEAlgorithm,
        id,
      ).toBe('AES256');
      expect(bucket.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('enforces SSL on every bucket', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('logs access of the input, work and results buckets to the logs bucket', () => {
    const logged = Object.values(template.findResources('AWS::S3::Bucket')).filter(
      (b) => b.Properties.LoggingConfiguration,
    );
    expect(logged).toHaveLength(3);
    const targets = new Set(
      logged.map((b) => JSON.stringify(b.Properties.LoggingConfiguration.DestinationBucketName)),
    );
    expect(targets.size).toBe(1);
  });

  it('versions the input bucket and sends its events to EventBridge', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { LogFilePrefix: 'InputBucket/' },
    });
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  it('expires runs/ in the work bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'runs/', ExpirationInDays: 30, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('removes the parts of unfinished multipart uploads from every bucket that receives uploads (row 41)', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    const aborting = Object.entries(buckets)
      .filter(([, bucket]) =>
        (bucket.Properties.LifecycleConfiguration?.Rules ?? []).some(
          (rule: { AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number }; Status: string }) =>
            rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation === 1 && rule.Status === 'Enabled',
        ),
      )
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    // Collect streams results.csv and results.jsonl into the results bucket, Prepare the shards into the
    // work bucket, analysts upload into the input bucket; only the access-logs bucket takes no uploads.
    expect(aborting.sort()).toEqual(
      Object.keys(buckets)
        .map((id) => id.replace(/[0-9A-F]{8}$/, ''))
        .filter((id) => !id.includes('AccessLogs'))
        .sort(),
    );
    expect(aborting.filter((id) => /InputBucket|WorkBucket|ResultsBucket/.test(id))).toHaveLength(3);
  });
});

describe('trigger', () => {
  it('matches Object Created of the input suffixes in the input bucket', () => {
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.EventPattern.source[0] === 'aws.s3',
    );
    const pattern = rule!.Properties.EventPattern;
    expect(pattern.source).toEqual(['aws.s3']);
    expect(pattern['detail-type']).toEqual(['Object Created']);
    expect(pattern.detail.object.key).toContainEqual({ suffix: { 'equals-ignore-case': '.csv' } });
    expect(JSON.stringify(pattern.detail.bucket.name)).toContain('InputBucket');
    // EventBridge's default limit for one event pattern.
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
  });

  it('matches .csv, .xlsx, .jsonl and .parquet in any letter case, as the key parser does, and nothing else (matrix 25)', () => {
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.EventPattern.source[0] === 'aws.s3',
    );
    // EventBridge's suffix with equals-ignore-case: the key ends with the suffix, letter case ignored.
    const suffixes = (
      rule!.Properties.EventPattern.detail.object.key as { suffix: { 'equals-ignore-case': string } }[]
    ).map(({ suffix }) => suffix['equals-ignore-case'].toLowerCase());
    const matches = (key: string) => suffixes.some((suffix) => key.toLowerCase().endsWith(suffix));
    for (const key of [
      'inbox/qa/a.csv',
      'inbox/qa/a.CSV',
      'inbox/qa/a.Csv',
      'inbox/qa/b.cSv',
      'inbox/qa/c.xlsx',
      'inbox/qa/c.XLSX',
      'inbox/qa/c.XlSx',
      'inbox/qa/d.jsonl',
      'inbox/qa/d.JSONL',
      'inbox/qa/d.JsonL',
      'inbox/qa/e.parquet',
      'inbox/qa/e.PARQUET',
      'inbox/qa/e.Parquet',
      'inbox/qa/f.xls',
      'inbox/qa/g.XLSM',
    ]) {
      expect(matches(key), key).toBe(true);
      expect(parseInboxKey(key), key).toBeDefined();
    }
    // Folder markers (zero-byte keys ending in "/", as the console's "Create folder" makes) included.
    for (const key of [
      'inbox/qa/a.txt',
      'inbox/qa/a.csvx',
      'inbox/qa/a.json',
      'inbox/qa/a.xlsx.tmp',
      'inbox/qa/',
      'inbox/qa/sub/',
      'inbox/qa/old.csv/',
    ]) {
      expect(matches(key), key).toBe(false);
      expect(parseInboxKey(key), key).toBeUndefined();
    }
    // Keys outside the inbox may reach Start run (the pattern cannot also require the prefix): it ignores them.
    expect(matches('other/a.csv')).toBe(true);
    expect(parseInboxKey('other/a.csv')).toBeUndefined();
  });

  it('queues events with a dead-letter queue and SSL enforced', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const main = Object.values(queues).find((q) => q.Properties.RedrivePolicy)!;
    expect(main.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
    // The trigger queue, its dead-letter queue, and the Stop jobs failures queue.
    expect(Object.keys(queues)).toHaveLength(3);
    for (const policy of Object.values(template.findResources('AWS::SQS::QueuePolicy'))) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('aws:SecureTransport');
    }
  });

  it('feeds Start run with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('stop jobs', () => {
  it('runs when an execution of this state machine is aborted, times out or fails', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [Match.anyValue()], status: ['ABORTED', 'TIMED_OUT', 'FAILED'] },
      },
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 } }),
      ],
    });
  });
});

describe('functions', () => {
  it('run Node 24 on ARM64 with X-Ray tracing (SDK calls untraced by default) and retained logs', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) =>
      f.Properties.Runtime?.startsWith('nodejs24'),
    );
    expect(functions).toHaveLength(HANDLER_NAMES.length);
    expect(HANDLER_NAMES).toHaveLength(10);
    for (const fn of functions) {
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(365);
    }
  });

  it('give the Prepare function its bundled pipelines folder', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PIPELINES_DIR: '/var/task/pipelines' }) },
      Timeout: 900,
    });
  });
});

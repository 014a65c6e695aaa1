import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NONCURRENT_VERSION_DAYS } from '../../lib/storage';
import { synthStack } from '../helpers/synth';
import { defaultStack } from './fixture';
import type { Untyped } from './resolve';

type Buckets = Record<string, Untyped>;

function bucketsByRole(template: Template): Buckets {
  const buckets = template.findResources('AWS::S3::Bucket');
  const find = (part: string) => Object.entries(buckets).find(([id]) => id.includes(part))![1];
  return {
    input: find('InputBucket'),
    results: find('ResultsBucket'),
    accessLogs: find('AccessLogsBucket'),
    work: find('WorkBucket'),
  };
}

function noncurrentDays(bucket: Untyped): number | undefined {
  const rules = (bucket.Properties.LifecycleConfiguration?.Rules ?? []) as Untyped[];
  return rules.find((rule) => rule.NoncurrentVersionExpiration)?.NoncurrentVersionExpiration.NoncurrentDays;
}

describe('storage lifecycle and teardown', () => {
  let retained: { template: Template; buckets: Buckets };
  let destroyed: { stack: Stack; template: Template; buckets: Buckets };
  beforeAll(() => {
    const retainedTemplate = Template.fromJSON(defaultStack().template);
    retained = { template: retainedTemplate, buckets: bucketsByRole(retainedTemplate) };
    const { stack, template } = synthStack({
      pipeline: { removalPolicy: RemovalPolicy.DESTROY, noncurrentVersionDays: 7 },
    });
    destroyed = { stack, template, buckets: bucketsByRole(template) };
  });

  it('expires noncurrent versions of the input, results and access-logs buckets after 90 days by default', () => {
    expect(DEFAULT_NONCURRENT_VERSION_DAYS).toBe(90);
    for (const name of ['input', 'results', 'accessLogs']) {
      expect(noncurrentDays(retained.buckets[name]), name).toBe(90);
      expect(retained.buckets[name].Properties.VersioningConfiguration, name).toEqual({ Status: 'Enabled' });
    }
    expect(noncurrentDays(retained.buckets.work)).toBeUndefined();
  });

  it('takes the number of days from noncurrentVersionDays (context noncurrentVersionDays)', () => {
    for (const name of ['input', 'results', 'accessLogs']) {
      expect(noncurrentDays(destroyed.buckets[name]), name).toBe(7);
    }
  });

  it('keeps the buckets and never empties them when retained', () => {
    expect(Object.keys(retained.template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(0);
    for (const bucket of Object.values(retained.buckets)) expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('empties every bucket before deleting it when removalPolicy is destroy, so cdk destroy completes', () => {
    const emptiers = Object.values(destroyed.template.findResources('Custom::S3AutoDeleteObjects'));
    expect(emptiers).toHaveLength(4);
    const emptied = new Set(emptiers.map((r) => JSON.stringify(r.Properties.BucketName)));
    for (const [name, bucket] of Object.entries(destroyed.buckets)) {
      expect(bucket.DeletionPolicy, name).toBe('Delete');
      const id = Object.entries(destroyed.template.findResources('AWS::S3::Bucket')).find(
        ([, b]) => b === bucket,
      )![0];
      expect(emptied.has(JSON.stringify({ Ref: id })), name).toBe(true);
    }
  });

  it('leaves no cdk-nag finding unacknowledged with removalPolicy destroy', () => {
    const stack = destroyed.stack;
    const found = [new AwsSolutionsChecks(stack), new HIPAASecurityChecks(stack)].flatMap((pack) =>
      pack
        .validateScope(stack)
        .violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`),
    );
    expect(found).toEqual([]);
  });

  it('rejects a noncurrent-version retention that is not a whole number of days', () => {
    expect(() => synthStack({ pipeline: { noncurrentVersionDays: 0 } })).toThrow(
      'noncurrentVersionDays must be a whole number of days >= 1, got 0',
    );
  });
});

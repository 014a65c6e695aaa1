import { describe, expect, it } from 'vitest';
import { jobIdFromArn, jobOutputPrefix } from '../../../lambda/core/contract/layout';
import { preparedMode, runMode } from '../../../lambda/core/mode/mode';
import { isOnDemandJobArn, onDemandJobArn, onDemandJobId } from '../../../lambda/core/on-demand/pseudo-job';

describe('the on-demand pseudo job', () => {
  it('is 12 characters of [a-z0-9], stable, and different per run, shard, round and part', () => {
    const id = onDemandJobId('report-0123456789ab', 1);
    expect(id).toMatch(/^[a-z0-9]{12}$/);
    expect(onDemandJobId('report-0123456789ab', 1)).toBe(id);
    const others = [
      onDemandJobId('report-0123456789ac', 1),
      onDemandJobId('report-0123456789ab', 2),
      onDemandJobId('report-0123456789ab', 1, 2),
      onDemandJobId('report-0123456789ab', 1, 2, 2),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
    for (const other of others) expect(other).toMatch(/^[a-z0-9]{12}$/);
  });

  it('has an ARN-like id whose job id Collect finds, so its outputs sit where a batch job would put them', () => {
    const id = onDemandJobId('run-1', 3);
    const arn = onDemandJobArn(id);
    expect(arn).toBe(`on-demand/${id}`);
    expect(isOnDemandJobArn(arn)).toBe(true);
    expect(isOnDemandJobArn('arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc')).toBe(false);
    expect(jobOutputPrefix('run-1', jobIdFromArn(arn))).toBe(`runs/run-1/batch-output/${id}/`);
  });
});

describe('runMode', () => {
  it.each([
    [100, 100, 'on-demand', 'batch'],
    [99, 100, 'on-demand', 'on-demand'],
    [1, 100, 'on-demand', 'on-demand'],
    [40, 100, 'fail', 'fail'],
    [5000, 100, 'fail', 'batch'],
    [1000, 5000, 'on-demand', 'on-demand'],
    [1001, 5000, 'on-demand', 'fail'],
    // Every row rejected: nothing to send, so the rejected rows are published either way.
    [0, 100, 'on-demand', 'on-demand'],
    [0, 100, 'fail', 'on-demand'],
  ] as const)('%i records, minimum %i, belowMinimum %s: %s', (records, min, policy, mode) => {
    expect(runMode(records, min, policy)).toBe(mode);
  });
});

describe('preparedMode', () => {
  it('names the failure too-few and defaults the policy to on-demand', () => {
    expect(preparedMode(40, 100, 'fail')).toBe('too-few');
    expect(preparedMode(40, 100)).toBe('on-demand');
    expect(preparedMode(1001, 5000)).toBe('too-few');
    expect(preparedMode(100, 100, 'fail')).toBe('batch');
  });
});

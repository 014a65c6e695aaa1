import type { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthStack } from '../helpers/synth';
import { resolveValue, type TemplateJson, type Untyped } from './resolve';

/** IAM's limits, counted on the policy text without whitespace. */
const IAM_LIMITS = { inlinePerRole: 10_240, managedPolicy: 6_144, managedPerRole: 10 } as const;

/** 30 cross-Region inference profiles in four geographies (eu and apac route to 8 Regions each). */
const PROFILES = Array.from({ length: 30 }, (_, i) => {
  const geo = ['eu', 'apac', 'us', 'global'][i % 4];
  return `${geo}.anthropic.claude-sonnet-model-number-${String(i).padStart(2, '0')}-20250929-v1:0`;
});

function size(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, '').length;
}

describe('30 cross-Region inference-profile models', () => {
  let json: TemplateJson;
  let stack: Stack;
  const inline: Record<string, number> = {};
  const managed: Record<string, number[]> = {};
  beforeAll(() => {
    const synth = synthStack({ pipeline: { additionalModelIds: PROFILES } });
    stack = synth.stack;
    json = synth.template.toJSON() as TemplateJson;
    for (const [id, resource] of Object.entries(json.Resources)) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::IAM::Role') {
        inline[id] = (inline[id] ?? 0) + size(resolveValue(json, props.Policies ?? []));
        managed[id] ??= [];
      }
      if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
      const text = size(resolveValue(json, props.PolicyDocument));
      for (const role of (props.Roles ?? []) as { Ref: string }[]) {
        if (resource.Type === 'AWS::IAM::Policy') inline[role.Ref] = (inline[role.Ref] ?? 0) + text;
        else managed[role.Ref] = [...(managed[role.Ref] ?? []), text];
      }
    }
  });

  it("keeps every role's inline policies within 10,240 characters and each managed policy within 6,144", () => {
    const submitJob = Object.keys(inline).find((id) => id.includes('SubmitJobRole'))!;
    const bedrock = Object.keys(inline).find((id) => id.includes('BedrockServiceRole'))!;
    // The roles that hold the model grants carry all 30 models.
    for (const id of [submitJob, bedrock]) {
      const text = JSON.stringify(
        Object.values(json.Resources)
          .filter((r) => JSON.stringify(r.Properties?.Roles ?? []).includes(id))
          .map((r) => r.Properties?.PolicyDocument),
      );
      for (const profile of PROFILES) expect(text, id).toContain(profile);
    }
    for (const [id, chars] of Object.entries(inline)) {
      expect(chars, id).toBeLessThanOrEqual(IAM_LIMITS.inlinePerRole);
    }
    for (const [id, sizes] of Object.entries(managed)) {
      expect(sizes.length, id).toBeLessThanOrEqual(IAM_LIMITS.managedPerRole);
      for (const chars of sizes) expect(chars, id).toBeLessThanOrEqual(IAM_LIMITS.managedPolicy);
    }
    const largest = Math.max(...Object.values(inline));
    expect(largest).toBeGreaterThan(3_000);
  });

  it('grants each profile, and its foundation model once, limited to the geography by aws:RequestedRegion', () => {
    const statements: Untyped[] = Object.values(json.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
      .filter((r) => JSON.stringify(r.Properties?.Roles ?? []).includes('BedrockServiceRole'))
      .flatMap((r) => resolveValue(json, r.Properties?.PolicyDocument).Statement);
    const invoke = statements.filter((s) => s.Action === 'bedrock:InvokeModel');
    const resources = invoke.flatMap((s) => [s.Resource].flat() as string[]);
    const eu = PROFILES[0]!;
    expect(resources).toContain(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/${eu}`);
    const euModel = `arn:aws:bedrock:*::foundation-model/${eu.slice('eu.'.length)}`;
    expect(resources.filter((r) => r === euModel)).toHaveLength(1);
    const euStatement = invoke.find((s) => [s.Resource].flat().includes(euModel));
    expect(euStatement.Condition.StringEquals['aws:RequestedRegion']).toContain('eu-west-3');
    expect(euStatement.Condition.StringEquals['aws:RequestedRegion']).not.toContain('us-east-1');
    const globalModel = `arn:aws:bedrock:*::foundation-model/${PROFILES[3]!.slice('global.'.length)}`;
    const globalStatement = invoke.find((s) => [s.Resource].flat().includes(globalModel));
    expect(globalStatement.Condition).toBeUndefined();
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    const found = [new AwsSolutionsChecks(stack), new HIPAASecurityChecks(stack)].flatMap((pack) =>
      pack
        .validateScope(stack)
        .violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`),
    );
    expect(found).toEqual([]);
  });
});

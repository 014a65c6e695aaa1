import validator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CfnTemplate, resolveTemplateString } from '../../local/asl';
import { synthStack } from '../helpers/synth';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** The state machine definition of a synthesized template, as plain ASL. */
function definitionOf(template: CfnTemplate): Record<string, unknown> {
  const machines = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
  );
  expect(machines).toHaveLength(1);
  return JSON.parse(resolveTemplateString(template, machines[0]!.Properties?.DefinitionString));
}

describe('the state machine passes the Amazon States Language validator (asl-validator)', () => {
  const definitions: Record<string, Record<string, unknown>> = {};
  beforeAll(() => {
    definitions.default = definitionOf(synthStack().template.toJSON() as CfnTemplate);
    definitions.kms = definitionOf(
      synthStack({ encryptionKeyArn: KEY_ARN }).template.toJSON() as CfnTemplate,
    );
  });

  it.each(['default', 'kms'])('%s variant: valid, paths and ARNs checked', (variant) => {
    const definition = structuredClone(definitions[variant]!);
    expect(Object.keys(definition.States as object).length).toBeGreaterThan(10);
    const result = validator(definition, { checkPaths: true, checkArn: true });
    expect(result.errorsText(), variant).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('rejects a broken definition (the check can fail)', () => {
    const broken = structuredClone(definitions.default!) as { StartAt: string };
    broken.StartAt = 'No such state';
    const result = validator(broken, { checkPaths: true, checkArn: true });
    expect(result.isValid).toBe(false);
    expect(result.errorsText()).toContain('No such state');
  });
});

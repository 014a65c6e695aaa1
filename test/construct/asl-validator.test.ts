import validator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CfnTemplate, definitionFromTemplate } from '../../local/runner/definition';
import { synthStack } from '../helpers/synth';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

describe('the state machine passes the Amazon States Language validator (asl-validator)', () => {
  const definitions: Record<string, Record<string, unknown>> = {};
  beforeAll(() => {
    definitions.default = definitionFromTemplate(synthStack().template.toJSON() as CfnTemplate);
    definitions.kms = definitionFromTemplate(
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

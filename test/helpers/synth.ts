/**
 * Fast synthesis for construct tests: bundling skipped, no validation plugins.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BedrockBatchPipelineStack, type BedrockBatchPipelineStackProps } from '../../lib/stack';

export { synthesizeLocalDefinition } from '../../local/runner/asl';

/** Test account and Region. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/** An app that skips asset bundling (construct tests never need the bundles). */
export function fastApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

/** The stack, its app and its template. */
export function synthStack(props: BedrockBatchPipelineStackProps = {}) {
  const app = fastApp();
  const stack = new BedrockBatchPipelineStack(app, 'TestStack', { env: TEST_ENV, ...props });
  return { app, stack, template: Template.fromStack(stack) };
}

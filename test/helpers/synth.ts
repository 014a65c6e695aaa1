/**
 * Fast synthesis for construct tests: bundling skipped, no validation plugins.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DISABLE_ASSET_STAGING_CONTEXT } from 'aws-cdk-lib/cx-api';
import { BedrockBatchPipelineStack, type BedrockBatchPipelineStackProps } from '../../lib/stack';
import { POOL_DIR_VARIABLE } from './warm-parts';

export { synthesizeLocalDefinition } from '../../local/runner/asl';

/** Test account and Region. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/**
 * An app that neither bundles nor stages assets (construct tests never need the bundles; staging copied
 * the ten function bundles, 31 MB, on every synthesis), synthesizing into the global setup's folder,
 * which is removed after the run (a default outdir is a new temporary folder nobody removes).
 */
export function fastApp(): App {
  return new App({
    outdir: mkdtempSync(join(process.env[POOL_DIR_VARIABLE] ?? tmpdir(), 'cdk.out-')),
    context: { 'aws:cdk:bundling-stacks': [], [DISABLE_ASSET_STAGING_CONTEXT]: true },
  });
}

/** The stack, its app and its template. */
export function synthStack(props: BedrockBatchPipelineStackProps = {}) {
  const app = fastApp();
  const stack = new BedrockBatchPipelineStack(app, 'TestStack', { env: TEST_ENV, ...props });
  return { app, stack, template: Template.fromStack(stack) };
}

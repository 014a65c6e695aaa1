/**
 * The synthesized state machine as plain ASL, for the local Step Functions runner: the stack is synthesized
 * (into a cloud assembly holding the functions' prebuilt bundles, or with asset bundling skipped for construct tests), the
 * `DefinitionString` join is resolved, and every Lambda ARN becomes a placeholder that embeds the
 * function's logical id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { DISABLE_ASSET_STAGING_CONTEXT } from 'aws-cdk-lib/cx-api';
import { HANDLER_NAMES, type HandlerName } from '../../lib/handler-names';
import type { BedrockBatchPipelineProps } from '../../lib/pipeline-props';
import { BedrockBatchPipelineStack } from '../../lib/stack';
import {
  type CfnTemplate,
  definitionFromTemplate,
  PLACEHOLDER_ENV,
  placeholderFunctionArn,
} from './definition';

/** Options of {@link synthesizeLocalDefinition}. */
interface LocalDefinitionOptions {
  /** Props of the pipeline construct (for example `pipelinesDir`, `maxConcurrentJobs`). */
  readonly pipeline?: BedrockBatchPipelineProps;
  /**
   * Write the cloud assembly into this folder, with every function's code, exactly as `cdk synth` does.
   * @default - asset bundling skipped, nothing kept
   */
  readonly outdir?: string;
}

/** What {@link synthesizeLocalDefinition} returns. */
interface LocalDefinition {
  /** The state machine definition, plain ASL (JSONPath). */
  readonly definition: Record<string, unknown>;
  /** Handler folder name → logical id of its Lambda function. */
  readonly logicalIds: Readonly<Record<HandlerName, string>>;
  /** Handler folder name → the placeholder ARN the definition uses for it. */
  readonly functionArns: Readonly<Record<HandlerName, string>>;
  /** The synthesized template. */
  readonly template: CfnTemplate;
  /** The stack's name in the cloud assembly (its template is `<outdir>/<stackName>.template.json`). */
  readonly stackName: string;
  /** The stack (for callers that need more than the template). */
  readonly stack: BedrockBatchPipelineStack;
}

/**
 * Synthesizes the stack (bundled into `outdir` when given) and returns its state machine as plain ASL.
 *
 * @example
 * const { definition, functionArns } = synthesizeLocalDefinition();
 * // definition.States['Prepare input'].Resource === functionArns['prepare-input']
 */
export function synthesizeLocalDefinition(options: LocalDefinitionOptions = {}): LocalDefinition {
  // Without an outdir only the template is wanted: no bundling, no asset staging (a copy of the ten
  // bundles), and the temporary assembly is removed once read.
  const scratch = options.outdir === undefined ? mkdtempSync(join(tmpdir(), 'cdk.out-')) : undefined;
  const app =
    scratch === undefined
      ? new App({ outdir: options.outdir, context: { 'aws:cdk:enable-asset-metadata': true } })
      : new App({
          outdir: scratch,
          context: { 'aws:cdk:bundling-stacks': [], [DISABLE_ASSET_STAGING_CONTEXT]: true },
        });
  const stack = new BedrockBatchPipelineStack(app, 'BedrockBatchPipelineLocal', {
    env: { account: PLACEHOLDER_ENV.account, region: PLACEHOLDER_ENV.region },
    pipeline: options.pipeline,
  });
  let template: CfnTemplate;
  try {
    template = app.synth().getStackByName(stack.stackName).template as CfnTemplate;
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
  const logicalIds = {} as Record<HandlerName, string>;
  const functionArns = {} as Record<HandlerName, string>;
  for (const name of HANDLER_NAMES) {
    const cfn = stack.pipeline.functions[name].node.defaultChild as CfnFunction;
    logicalIds[name] = stack.resolve(cfn.logicalId) as string;
    functionArns[name] = placeholderFunctionArn(logicalIds[name]);
  }
  return {
    definition: definitionFromTemplate(template),
    logicalIds,
    functionArns,
    template,
    stackName: stack.stackName,
    stack,
  };
}

/**
 * The synthesized state machine as plain ASL, for the local Step Functions runner: the stack is synthesized
 * (bundling skipped), the `DefinitionString` join is resolved, and every Lambda ARN becomes a placeholder
 * that embeds the function's logical id.
 */
import { App } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { HANDLER_NAMES, type HandlerName } from '../lib/functions';
import type { BedrockBatchPipelineProps } from '../lib/pipeline';
import { BedrockBatchPipelineStack } from '../lib/stack';

/** Account, Region and partition written into placeholder ARNs. */
export const PLACEHOLDER_ENV = { account: '123456789012', region: 'us-east-1', partition: 'aws' } as const;

/** Options of {@link synthesizeLocalDefinition}. */
export interface LocalDefinitionOptions {
  /** Props of the pipeline construct (for example `pipelinesDir`, `maxConcurrentJobs`). */
  readonly pipeline?: BedrockBatchPipelineProps;
}

/** A CloudFormation template as plain JSON. */
export type CfnTemplate = {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

/** What {@link synthesizeLocalDefinition} returns. */
export interface LocalDefinition {
  /** The state machine definition, plain ASL (JSONPath). */
  readonly definition: Record<string, unknown>;
  /** Handler folder name → logical id of its Lambda function. */
  readonly logicalIds: Readonly<Record<HandlerName, string>>;
  /** Handler folder name → the placeholder ARN the definition uses for it. */
  readonly functionArns: Readonly<Record<HandlerName, string>>;
  /** The synthesized template. */
  readonly template: CfnTemplate;
  /** The stack (for callers that need more than the template). */
  readonly stack: BedrockBatchPipelineStack;
}

/** The placeholder Lambda ARN for a logical id. */
export function placeholderFunctionArn(logicalId: string): string {
  const { partition, region, account } = PLACEHOLDER_ENV;
  return `arn:${partition}:lambda:${region}:${account}:function:${logicalId}`;
}

const SERVICE_BY_TYPE: Record<string, string> = {
  'AWS::Lambda::Function': 'lambda',
  'AWS::SNS::Topic': 'sns',
  'AWS::SQS::Queue': 'sqs',
  'AWS::S3::Bucket': 's3',
  'AWS::IAM::Role': 'iam',
  'AWS::StepFunctions::StateMachine': 'states',
};

function placeholderArn(template: CfnTemplate, logicalId: string): string {
  const type = template.Resources[logicalId]?.Type;
  if (type === 'AWS::Lambda::Function') return placeholderFunctionArn(logicalId);
  const { partition, region, account } = PLACEHOLDER_ENV;
  const service = (type && SERVICE_BY_TYPE[type]) ?? 'unknown';
  return `arn:${partition}:${service}:${region}:${account}:${logicalId}`;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': PLACEHOLDER_ENV.partition,
  'AWS::Region': PLACEHOLDER_ENV.region,
  'AWS::AccountId': PLACEHOLDER_ENV.account,
  'AWS::URLSuffix': 'amazonaws.com',
};

/** Resolves `Fn::Join`, `Ref` and `Fn::GetAtt [id, Arn]` of a template value into a plain string. */
export function resolveTemplateString(template: CfnTemplate, value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (Array.isArray(node['Fn::Join'])) {
    const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveTemplateString(template, part)).join(delimiter);
  }
  if (typeof node.Ref === 'string') return PSEUDO[node.Ref] ?? placeholderArn(template, node.Ref);
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    if (attribute === 'Arn') return placeholderArn(template, id);
    return `${id}.${attribute}`;
  }
  throw new Error(`Cannot resolve template value ${JSON.stringify(value)}`);
}

/**
 * Synthesizes the stack without bundling and returns its state machine as plain ASL.
 *
 * @example
 * const { definition, functionArns } = synthesizeLocalDefinition();
 * // definition.States['Prepare input'].Resource === functionArns['prepare-input']
 */
export function synthesizeLocalDefinition(options: LocalDefinitionOptions = {}): LocalDefinition {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new BedrockBatchPipelineStack(app, 'BedrockBatchPipelineLocal', {
    env: { account: PLACEHOLDER_ENV.account, region: PLACEHOLDER_ENV.region },
    pipeline: options.pipeline,
  });
  const template = app.synth().getStackByName(stack.stackName).template as CfnTemplate;
  const logicalIds = {} as Record<HandlerName, string>;
  const functionArns = {} as Record<HandlerName, string>;
  for (const name of HANDLER_NAMES) {
    const cfn = stack.pipeline.functions[name].node.defaultChild as CfnFunction;
    logicalIds[name] = stack.resolve(cfn.logicalId) as string;
    functionArns[name] = placeholderFunctionArn(logicalIds[name]);
  }
  const machines = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
  );
  if (machines.length !== 1) throw new Error(`Expected one state machine, found ${machines.length}`);
  const definitionString = resolveTemplateString(template, machines[0]!.Properties?.DefinitionString);
  return {
    definition: JSON.parse(definitionString) as Record<string, unknown>,
    logicalIds,
    functionArns,
    template,
    stack,
  };
}

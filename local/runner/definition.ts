/**
 * Plain ASL from a synthesized template, without loading the CDK: the `DefinitionString` join is resolved
 * and every ARN becomes a placeholder that embeds its resource's logical id.
 */

/** Account, Region and partition written into placeholder ARNs. */
export const PLACEHOLDER_ENV = { account: '123456789012', region: 'us-east-1', partition: 'aws' } as const;

/** A CloudFormation template as plain JSON. */
export type CfnTemplate = {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

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

/** The template's one state machine definition as plain ASL. */
export function definitionFromTemplate(template: CfnTemplate): Record<string, unknown> {
  const machines = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
  );
  if (machines.length !== 1) throw new Error(`Expected one state machine, found ${machines.length}`);
  const definitionString = resolveTemplateString(template, machines[0]!.Properties?.DefinitionString);
  return JSON.parse(definitionString) as Record<string, unknown>;
}

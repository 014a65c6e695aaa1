/**
 * Turns template values (Fn::Join, Ref, Fn::GetAtt) into concrete strings for assertions and IAM simulation.
 */
import { TEST_ENV } from '../helpers/synth';

/** Template JSON as the assertions read it: untyped on purpose, every access is checked by an expectation. */
// biome-ignore lint/suspicious/noExplicitAny: template JSON has no static shape
export type Untyped = any;

/** A synthesized template as plain JSON. */
export interface TemplateJson {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, Untyped> }>;
}

/** The concrete name a test gives a resource: its logical id, lower-cased. */
export function nameOf(logicalId: string): string {
  return logicalId.toLowerCase();
}

function arnOf(template: TemplateJson, id: string): string {
  const { account, region } = TEST_ENV;
  switch (template.Resources[id]?.Type) {
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${nameOf(id)}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${account}:role/${id}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${region}:${account}:function:${id}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${region}:${account}:stateMachine:${id}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${region}:${account}:${id}`;
    default:
      return `arn:aws:unknown:${region}:${account}:${id}`;
  }
}

/** Resolves one template value (recursively through arrays and objects). */
export function resolveValue(template: TemplateJson, value: unknown): Untyped {
  if (Array.isArray(value)) return value.map((item) => resolveValue(template, item));
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, Untyped>;
  if (node['Fn::Join']) {
    const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveValue(template, part)).join(delimiter);
  }
  if (typeof node.Ref === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': TEST_ENV.region,
      'AWS::AccountId': TEST_ENV.account,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (pseudo[node.Ref]) return pseudo[node.Ref];
    const type = template.Resources[node.Ref]?.Type;
    return type === 'AWS::IAM::Role' || type === 'AWS::S3::Bucket'
      ? nameOf(node.Ref)
      : arnOf(template, node.Ref);
  }
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    if (attribute === 'Arn') return arnOf(template, id);
    return `${id}.${attribute}`;
  }
  return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, resolveValue(template, item)]));
}

/** The logical ids of resources of a type whose construct path contains `pathPart`. */
export function logicalIdsOfType(template: TemplateJson, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}

/** The resolved identity policy documents attached to a role (by the role's logical id). */
export function policiesOfRole(template: TemplateJson, roleId: string): { name: string; policy: Untyped }[] {
  return Object.entries(template.Resources)
    .filter(
      ([, resource]) =>
        resource.Type === 'AWS::IAM::Policy' &&
        ((resource.Properties?.Roles ?? []) as { Ref: string }[]).some((role) => role.Ref === roleId),
    )
    .map(([id, resource]) => ({
      name: id,
      policy: resolveValue(template, resource.Properties?.PolicyDocument),
    }));
}

/** The logical id of the role a Lambda function runs as. */
export function roleOfFunction(template: TemplateJson, functionId: string): string {
  const role = template.Resources[functionId]?.Properties?.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}

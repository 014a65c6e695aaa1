/**
 * cdk-nag acknowledgements for wildcard resources that are deliberate (run ids and job ids exist only at
 * run time). Each acknowledgement names the exact finding, so a new wildcard still fails synth.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (Array.isArray(record['Fn::Join'])) {
      const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (record['Fn::Sub'] !== undefined) return flatten(record['Fn::Sub']);
    if (Array.isArray(record['Fn::GetAtt'])) {
      const [resource, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (record['Fn::ImportValue'] !== undefined) return flatten(record['Fn::ImportValue']);
    if (record.Ref !== undefined) return `<${flatten(record.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** The text cdk-nag's IAM5 rule shows for a resource (`Resource::<Bucket.Arn>/runs/*`). */
function wildcardFindingResource(scope: IConstruct, resource: string): string {
  const resolved = Token.isUnresolved(resource) ? Stack.of(scope).resolve(resource) : resource;
  return flatten(resolved);
}

/** What to acknowledge: resources and actions that carry a deliberate `*`. */
interface WildcardAcknowledgement {
  readonly resources?: readonly string[];
  readonly actions?: readonly string[];
  readonly reason: string;
}

/** Acknowledges AwsSolutions-IAM5 (and HIPAA's inline-policy rule is unaffected) for exactly these findings. */
export function acknowledgeWildcards(scope: IConstruct, ack: WildcardAcknowledgement): void {
  const ids = new Set<string>();
  for (const resource of ack.resources ?? []) {
    const text = wildcardFindingResource(scope, resource);
    if (text.includes('*')) ids.add(`AwsSolutions-IAM5[Resource::${text}]`);
  }
  for (const action of ack.actions ?? []) {
    if (action.includes('*')) ids.add(`AwsSolutions-IAM5[Action::${action}]`);
  }
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason: ack.reason });
}

/** Acknowledges HIPAA's inline-policy rule on a role whose policy CDK renders inline, scoped to that role. */
export function acknowledgeInlinePolicy(role: IConstruct): void {
  Validations.of(role).acknowledge({
    id: 'HIPAA.Security-IAMNoInlinePolicy',
    reason:
      'Each role has one policy written for that role alone (least privilege, nothing shared); a managed ' +
      'policy would hold the same statements.',
  });
}

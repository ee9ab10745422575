// One way to acknowledge a cdk-nag finding: always with a reason a reviewer can check.
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export const minimumReasonLength = 10;

/**
 * Acknowledges one cdk-nag rule (or one finding, `AwsSolutions-IAM5[Resource::*]`) on a construct
 * and everything under it. Throws when the reason is too short to mean anything.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < minimumReasonLength) {
    throw new Error(`The acknowledgement of ${id} at ${scope.node.path} needs a reason of at least ${minimumReasonLength} characters`);
  }
  Validations.of(scope).acknowledge({ id, reason });
}

/** Every acknowledgement recorded in a construct tree (for tests and reviews). */
export function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      // recorded by aws-cdk-lib as `{ [qualified rule id]: reason }`
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        found.push({ path: construct.node.path, id, reason: typeof reason === 'string' ? reason : '' });
      }
    }
  }
  return found;
}

/** Renders a resolved CloudFormation value the way cdk-nag names it in a finding id. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Ref' in node) return `<${flatten(node.Ref)}>`;
    if (Array.isArray(node['Fn::GetAtt'])) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
  }
  return JSON.stringify(value);
}

/**
 * The id of cdk-nag's IAM5 finding for one wildcard resource of a policy in `scope`'s stack, e.g.
 * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::bucket/*]`. Only for values made of
 * literals and pseudo parameters (no cross-stack reference), which resolve the same way here as
 * in cdk-nag's check after synthesis.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

// The grants the app's Lambdas need, written as explicit statements: named actions on named
// resources (the table and each of its indexes, the bucket, the mail identity, one parameter), so
// no role holds `*` unless the service offers nothing narrower.
import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { tableDefinition } from '../../shared/db/table-definition.js';
import { acknowledge, wildcardResourceFinding } from './nag.js';

/** Item reads and writes; transactions are authorised through these same actions. */
const tableActions = [
  'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query',
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable',
];

export function tableIndexArns(table: dynamodb.ITable): string[] {
  return tableDefinition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.name}`);
}

export function grantTableData(role: iam.IRole, table: dynamodb.ITable): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: tableActions, resources: [table.tableArn] }));
  // Indexes are only ever queried (no Scan anywhere, see ARCHITECTURE.md).
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: tableIndexArns(table) }));
}

/** ARN of the attachments bucket, built in the caller's stack from its (explicit) name. */
export function bucketArn(scope: IConstruct, bucketName: string): string {
  return Stack.of(scope).formatArn({ service: 's3', region: '', account: '', resource: bucketName });
}

/**
 * Objects anywhere in the attachments bucket, and `s3:ListBucket` on the bucket (HeadBucket and a
 * 404 rather than a 403 for a missing key need it). Object keys are generated per upload, so the
 * object resource must end in `/*`; that one finding is acknowledged here with its reason.
 */
export function grantAttachments(role: iam.Role, bucketName: string): void {
  const bucket = bucketArn(role, bucketName);
  const objects = `${bucket}/*`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [objects] }));
  acknowledge(role, wildcardResourceFinding(role, objects),
    'Attachment object keys are generated per upload, so object access is granted on the keys of this one bucket (presigned URLs are then scoped to one key).');
}

/** SES v1 `SendEmail`/`SendRawEmail` from the configured sender only (its address and domain identities). */
export function grantSendMail(role: iam.IRole, mailFrom: string): void {
  const stack = Stack.of(role);
  const domain = mailFrom.slice(mailFrom.lastIndexOf('@') + 1);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ses:SendEmail', 'ses:SendRawEmail'],
    resources: [...new Set([domain, mailFrom])].map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
    conditions: { StringEquals: { 'ses:FromAddress': mailFrom } },
  }));
}

/** Reading the JWT signing secret (an SSM SecureString under the AWS managed key). */
export function grantReadParameter(role: iam.IRole, parameterName: string): void {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ssm:GetParameter'],
    resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.replace(/^\/+/, '') })],
  }));
}

// The grants the app's Lambdas need, written as explicit statements: named actions on named
// resources (the table and each of its indexes, the bucket, the mail identity, one parameter), so
// no role holds `*` unless the service offers nothing narrower. What a Lambda gets comes from its
// declaration: `grantsOf(contract)` for a route, `grants` in infra/functions.ts for the others.
import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { RouteGrants } from '../../shared/contract/route.js';
import { tableDefinition } from '../../shared/db/table-definition.js';
import type { AttachmentAccess, FunctionGrants } from '../functions.js';
import { acknowledge, wildcardResourceFinding } from './nag.js';

/** Everything one role may be granted; routes and background functions both map to it. */
export interface Grants extends FunctionGrants {
  /** SES v2 GetAccount (the readiness probe) */
  mailAccount: boolean;
  /** the JWT signing secret (an SSM parameter) */
  signingSecret: boolean;
}

/** What the resources are, in the stack of the role being granted. */
export interface GrantTargets {
  table: dynamodb.ITable;
  /** attachments bucket name (see DataStack.bucketName) */
  bucketName: string;
  mailFrom: string;
  /** the configuration set sends name (the jobs stack's); a send that names one needs permission on it too */
  mailConfigurationSetName?: string;
  jwtSecretParameterName: string;
}

/**
 * A route's attachment level as separate accesses: each level includes the ones before it.
 * Presigned URLs and forms are signed with the route's role, so they can do only what it may:
 * `read` for routes that presign downloads (GET of the verified version), `write` for the upload
 * route (a presigned POST needs s3:PutObject).
 */
const attachmentLevels: Record<RouteGrants['attachments'], readonly AttachmentAccess[]> = {
  none: [],
  head: ['list'],
  read: ['list', 'read'],
  write: ['list', 'read', 'write', 'delete'],
};

const accessOrder: readonly AttachmentAccess[] = ['list', 'read', 'write', 'delete'];

export function routeGrants(grants: RouteGrants): Grants {
  return { ...grants, attachments: attachmentLevels[grants.attachments] };
}

export function backgroundGrants(grants: FunctionGrants): Grants {
  return { ...grants, mailAccount: false, signingSecret: grants.signingSecret ?? false };
}

function capitalised(value: string): string {
  return value[0]!.toUpperCase() + value.slice(1);
}

/**
 * A name for a set of grants, e.g. `TableReadSecret`: equal for equal sets (so it keys shared
 * roles) and readable as a construct id. `LogsOnly` when the set is empty.
 */
export function grantsName(grants: Grants): string {
  const attachments = accessOrder.filter((access) => grants.attachments.includes(access));
  const parts = [
    grants.table === 'none' ? '' : `Table${capitalised(grants.table)}`,
    attachments.length ? `Attachments${attachments.map(capitalised).join('')}` : '',
    grants.mail ? 'Mail' : '',
    grants.mailAccount ? 'MailAccount' : '',
    grants.signingSecret ? 'Secret' : '',
  ];
  return parts.join('') || 'LogsOnly';
}

/** Adds every statement of `grants` to the role. */
export function grant(role: iam.Role, grants: Grants, targets: GrantTargets): void {
  if (grants.table !== 'none') grantTableData(role, targets.table, grants.table);
  if (grants.attachments.length) grantAttachments(role, targets.bucketName, grants.attachments);
  if (grants.mail) grantSendMail(role, targets.mailFrom, targets.mailConfigurationSetName);
  if (grants.mailAccount) grantMailAccount(role);
  if (grants.signingSecret) grantReadParameter(role, targets.jwtSecretParameterName);
}

/** Item reads; transactions and batches are authorised through these same actions. */
export const tableReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
export const tableWriteActions = [
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem',
] as const;

export function tableIndexArns(table: dynamodb.ITable): string[] {
  return tableDefinition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.name}`);
}

export function grantTableData(role: iam.IRole, table: dynamodb.ITable, level: 'read' | 'write'): void {
  const actions = level === 'write' ? [...tableReadActions, ...tableWriteActions] : [...tableReadActions];
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn] }));
  // Indexes are only ever queried (no Scan anywhere, see ARCHITECTURE.md).
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: tableIndexArns(table) }));
}

/** ARN of the attachments bucket, built in the caller's stack from its (explicit) name. */
export function bucketArn(scope: IConstruct, bucketName: string): string {
  return Stack.of(scope).formatArn({ service: 's3', region: '', account: '', resource: bucketName });
}

/**
 * The object actions of each access. The bucket is versioned (see DataStack): downloads are
 * presigned for the verified version (GetObjectVersion), and the verifier and the change feed
 * delete a named version (DeleteObjectVersion, which removes it for good instead of adding a
 * delete marker).
 */
export const objectActions: Readonly<Partial<Record<AttachmentAccess, readonly string[]>>> = {
  read: ['s3:GetObject', 's3:GetObjectVersion'],
  write: ['s3:PutObject'],
  delete: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
};

/**
 * `list` is `s3:ListBucket` on the bucket (HeadBucket, and a 404 rather than a 403 for a missing
 * key); the others are object actions on the bucket's keys. Object keys are generated per upload,
 * so the object resource must end in `/*`; that one finding is acknowledged here with its reason.
 */
export function grantAttachments(role: iam.Role, bucketName: string, access: readonly AttachmentAccess[]): void {
  const bucket = bucketArn(role, bucketName);
  if (access.includes('list')) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket] }));
  const actions = accessOrder.filter((entry) => access.includes(entry)).flatMap((entry) => [...(objectActions[entry] ?? [])]);
  if (!actions.length) return;
  const objects = `${bucket}/*`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [objects] }));
  acknowledge(role, wildcardResourceFinding(role, objects),
    'Attachment object keys are generated per upload, so object access is granted on the keys of this one bucket (presigned URLs are then scoped to one key).');
}

/** SES v1 `SendEmail`/`SendRawEmail` from the configured sender only (its address and domain identities). */
export function grantSendMail(role: iam.IRole, mailFrom: string, configurationSetName?: string): void {
  const stack = Stack.of(role);
  const domain = mailFrom.slice(mailFrom.lastIndexOf('@') + 1);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ses:SendEmail', 'ses:SendRawEmail'],
    resources: [
      ...[...new Set([domain, mailFrom])].map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
      ...(configurationSetName ? [stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName })] : []),
    ],
    conditions: { StringEquals: { 'ses:FromAddress': mailFrom } },
  }));
}

/** SES v2 `GetAccount`, which the readiness probe calls (it says whether sending is paused). */
export function grantMailAccount(role: iam.Role): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
  acknowledge(role, 'AwsSolutions-IAM5[Resource::*]',
    'SES v2 GetAccount (the readiness probe) supports no resource-level permission; only roles whose routes declare mailAccount hold it.');
}

/** Reading the JWT signing secret (an SSM SecureString under the AWS managed key). */
export function grantReadParameter(role: iam.IRole, parameterName: string): void {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ssm:GetParameter'],
    resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.replace(/^\/+/, '') })],
  }));
}

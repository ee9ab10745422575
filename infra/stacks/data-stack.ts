// The stateful part of the app: the single table (from shared/db/table-definition.ts, the same
// definition the local runtime uses) and the attachments bucket. Both are retained when the stack
// goes away; everything else can be redeployed from code.
//
// Other stacks reach the table through SSM parameters this stack writes (weak references), not
// CloudFormation exports: an export in use can be neither changed nor removed, so a table change
// that alters an exported value (a new stream ARN when the stream view type changes) would fail
// while the api and jobs stacks import it. A parameter of type `AWS::SSM::Parameter::Value<String>`
// is resolved each time the consuming stack deploys; the deploy order (data first) makes that the
// current value. (Plain SSM values rather than CDK's `weak` references: they need no newer
// CloudFormation features, and an operator can read them with `aws ssm get-parameter`.)
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { tableDefinition } from '../../shared/db/table-definition.js';
import { jobKeptDays } from '../../shared/contract/jobs.js';
import { acknowledge } from '../constructs/nag.js';
import { backupsPrefix, jobFilesPrefix, uploadsPrefix } from '../bucket-prefixes.js';
import { backupKeptDays } from '../../shared/contract/backups.js';

// the bucket's prefixes (attachments, job files) are declared in infra/bucket-prefixes.ts
export { attachmentsPrefix, jobFilesPrefix, verifiedPrefixes } from '../bucket-prefixes.js';

/** `<prefix>-attachments-<account>-<region>`, resolved in the stack of `scope`. */
export function attachmentsBucketName(scope: Construct, prefix: string): string {
  const stack = Stack.of(scope);
  return `${prefix}-attachments-${stack.account}-${stack.region}`;
}

/** Names of the SSM parameters through which the other stacks read the table's identity. */
export interface DataParameters {
  tableName: string;
  tableStreamArn: string;
}

export function dataParameters(prefix: string): DataParameters {
  return { tableName: `/${prefix}/data/table-name`, tableStreamArn: `/${prefix}/data/table-stream-arn` };
}

/**
 * The table as another stack sees it: its name (and stream ARN, when asked for) read from the
 * data stack's parameters at deploy time, its ARNs built from the name in the caller's stack.
 */
export function importTable(scope: Construct, parameters: DataParameters, options: { stream?: boolean } = {}): dynamodb.ITable {
  return dynamodb.Table.fromTableAttributes(scope, 'Table', {
    tableName: ssm.StringParameter.valueForStringParameter(scope, parameters.tableName),
    ...(options.stream ? { tableStreamArn: ssm.StringParameter.valueForStringParameter(scope, parameters.tableStreamArn) } : {}),
  });
}

export type StreamViewType = keyof typeof dynamodb.StreamViewType;

export interface DataStackProps extends StackProps {
  /** origins the PWA is served from; `*` for any (presigned URLs are the authorisation) */
  corsOrigins: readonly string[];
  /** lower-case prefix of the bucket name: `<prefix>-attachments-<account>-<region>` */
  prefix: string;
  /** default tableDefinition.streamViewType (tests change it to prove the stacks stay updatable) */
  streamViewType?: StreamViewType;
}

export class DataStack extends Stack {
  readonly table: dynamodb.Table;
  readonly bucket: s3.Bucket;
  /**
   * The bucket's name, made of the prefix and pseudo parameters only: other stacks build the ARN
   * from it in their own template (no export), and grants on its objects have a stable IAM5 id.
   */
  readonly bucketName: string;
  readonly accessLogsBucket: s3.Bucket;
  readonly parameters: DataParameters;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    const string = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: string },
      sortKey: { name: tableDefinition.sortKey, type: string },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      stream: dynamodb.StreamViewType[props.streamViewType ?? tableDefinition.streamViewType],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: { name: index.sortKey, type: string },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.parameters = dataParameters(props.prefix);
    new ssm.StringParameter(this, 'TableNameParameter', {
      parameterName: this.parameters.tableName,
      stringValue: this.table.tableName,
      description: 'Name of the Home Warehouse table, read by the api, jobs and observability stacks',
    });
    new ssm.StringParameter(this, 'TableStreamArnParameter', {
      parameterName: this.parameters.tableStreamArn,
      stringValue: this.table.tableStreamArn!,
      description: 'ARN of the Home Warehouse table stream, read by the jobs stack (change feed)',
    });
    // Transitional: these three exports were imported by the api and jobs stacks before they read
    // the parameters above. CloudFormation refuses to remove an export still imported, and this
    // stack deploys first, so they stay (imported by nothing, so they block nothing) until every
    // environment has deployed the parameter-based stacks once; then delete these lines.
    for (const value of [this.table.tableArn, this.table.tableName, this.table.tableStreamArn!]) this.exportValue(value);

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.accessLogsBucket, 'AwsSolutions-S1',
      'This bucket receives the server access logs of the attachments bucket; logging it into itself would loop.');

    this.bucketName = attachmentsBucketName(this, props.prefix);
    this.bucket = new s3.Bucket(this, 'Attachments', {
      bucketName: this.bucketName,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioned, because an upload form (presigned POST) stays valid for 15 minutes: a second
      // POST with the same form could replace a file already verified under the same key. The
      // verifier records the version it verified, downloads are presigned for that version, so an
      // overwrite is never served, and the verifier deletes the stray version. Versioning also
      // keeps an accidentally deleted object for a day (see the lifecycle rules below).
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'attachments/',
      // The PWA downloads (presigned GET, HEAD) and uploads (presigned POST: the form's policy
      // pins key, content type and size). Nothing uses PUT.
      cors: [{
        allowedOrigins: [...props.corsOrigins],
        allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD, s3.HttpMethods.POST],
        allowedHeaders: ['*'],
        exposedHeaders: ['ETag'],
        maxAge: 3600,
      }],
      // No expiration by prefix: an upload form that was never used leaves no object, only a
      // PENDING record, which the attachment-cleanup job (hourly) deletes once it is a day old.
      // What versioning keeps is bounded instead: a replaced or deleted version is kept one day
      // (long enough to restore an accidental delete), then expires; the delete marker left by
      // deleting a key is removed once no version remains behind it. One rule per action, so each
      // reads (and can be changed) on its own.
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'expire-replaced-versions', noncurrentVersionExpiration: Duration.days(1) },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
        // the files background jobs make (label sheets, reports): kept as long as their job record
        { id: 'expire-job-files', prefix: jobFilesPrefix, expiration: Duration.days(jobKeptDays) },
        // files uploaded for a job (a large import, an archive to restore): read once by their job
        { id: 'expire-job-uploads', prefix: uploadsPrefix, expiration: Duration.days(jobKeptDays) },
        // backup archives: kept as long as their job record, 30 days
        { id: 'expire-backups', prefix: backupsPrefix, expiration: Duration.days(backupKeptDays) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The upload verifier is driven by EventBridge ("Object Created"), not by a bucket
    // notification to the Lambda: that would make this stack depend on the jobs stack and back.
    // Set on the resource itself, so no notifications custom resource (and its Lambda) is needed.
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  }
}

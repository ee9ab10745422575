// The attachments bucket and everything that touches it, read from the synthesised templates: a
// private, TLS-only, versioned bucket whose lifecycle bounds what versioning keeps; CORS for the
// PWA's presigned POST uploads and GET downloads; the EventBridge rule that runs the upload
// verifier for each object created under `workspaces/` or `uploads/`; the roles' S3 actions (verifier,
// change feed, job runner, upload and download routes, cleanup job); the hourly attachment-cleanup job and its
// failure handling; the verifier's metrics on the dashboard.
import type { Template } from 'aws-cdk-lib/assertions';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteContract } from '../../shared/contract/route.js';
import { routeGrants } from '../../infra/constructs/permissions.js';
import { scheduledJobs } from '../../infra/functions.js';
import { attachmentsPrefix, verifiedPrefixes } from '../../infra/stacks/data-stack.js';
import { backupsPrefix, jobFilesPrefix, uploadsPrefix } from '../../infra/bucket-prefixes.js';
import { jobKeptDays } from '../../shared/contract/jobs.js';
import { backupKeptDays } from '../../shared/contract/backups.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { attachmentCleanupMetricNames, uploadVerdictMetricNames } from '../../infra/stacks/observability-stack.js';
import { actionsOf, roleOf, roleStatements, synthApp, templateFiles, templateOf, type Resource, type Statement, type Synthesised } from './helpers.js';

const corsOrigins = ['https://app.example.com', 'https://beta.example.com'];

/** Stand-ins for the attachments routes: the upload form (write) and a presigned download (read). */
const uploadRoute: RouteContract = {
  id: 'testCreateUploadForm', domain: 'attachmentstest', method: 'POST', access: 'member', summary: 'test upload form', status: 201,
  path: '/workspaces/{workspace_id}/items/{item_id}/test-attachments', grants: { attachments: 'write' },
};
const downloadRoute: RouteContract = {
  id: 'testDownloadAttachment', domain: 'attachmentstest', method: 'GET', access: 'viewer', summary: 'test download', status: 200,
  path: '/workspaces/{workspace_id}/items/{item_id}/test-attachments/{attachment_id}/download', grants: { attachments: 'read' },
};
const healthRoute: RouteContract = { id: 'health', domain: 'platform', method: 'GET', path: '/health', access: 'public', summary: 'health', status: 200 };

const verifierActions = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'];

let synth: Synthesised;
let data: Template;
let jobs: Template;
let jobResources: Record<string, Resource>;
let bucketId: string;
let bucket: Record<string, any>;

const ofType = (resources: Record<string, Resource>, type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const functionIdOf = (functionName: string) => ofType(jobResources, 'AWS::Lambda::Function')
  .find(([, fn]) => fn.Properties!.FunctionName === functionName)![0];
const s3Actions = (statements: Statement[]) => actionsOf(statements).filter((action) => action.startsWith('s3:'));

beforeAll(() => {
  synth = synthApp({ corsOrigins, routes: [healthRoute, uploadRoute, downloadRoute] });
  data = templateOf(synth.assembly, synth.built.data);
  jobs = templateOf(synth.assembly, synth.built.jobs);
  jobResources = jobs.toJSON().Resources as Record<string, Resource>;
  bucketId = synth.built.data.getLogicalId(synth.built.data.bucket.node.defaultChild as s3.CfnBucket);
  bucket = data.toJSON().Resources[bucketId];
});

describe('attachments bucket', () => {
  it('is retained, private, S3-encrypted, owner-enforced and logs its access', () => {
    expect(bucket).toMatchObject({ Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    const logsId = synth.built.data.getLogicalId(synth.built.data.accessLogsBucket.node.defaultChild as s3.CfnBucket);
    expect(bucket.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'attachments/' });
  });

  it('denies every request that does not use TLS, on the bucket and its objects', () => {
    const policies = Object.values(data.findResources('AWS::S3::BucketPolicy')).filter((policy) => policy.Properties.Bucket.Ref === bucketId);
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as Record<string, any>[];
    expect(statements).toContainEqual({
      Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Resource: [
        { 'Fn::GetAtt': [bucketId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      ],
    });
    // and it grants nothing to anyone: the Lambdas' roles carry their own statements
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
  });

  it('is versioned, so an overwrite by a reused upload form is never served and a delete can be undone for a day', () => {
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('aborts stale multipart uploads, expires replaced versions and removes orphaned delete markers, with no expiration of attachments (only of job files, job uploads after 7 days and backups after 30)', () => {
    const jobFiles = { Id: 'expire-job-files', Prefix: 'jobs/', ExpirationInDays: 7, Status: 'Enabled' };
    const jobUploads = { Id: 'expire-job-uploads', Prefix: 'uploads/', ExpirationInDays: 7, Status: 'Enabled' };
    const backups = { Id: 'expire-backups', Prefix: 'backups/', ExpirationInDays: 30, Status: 'Enabled' };
    expect(bucket.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        { Id: 'abort-incomplete-multipart-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
        { Id: 'expire-replaced-versions', NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' },
        { Id: 'remove-expired-delete-markers', ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
        jobFiles,
        jobUploads,
        backups,
      ],
    });
    // the days come from the contracts: a job's files and uploads go with its record, a backup is kept as its contract says
    expect([jobKeptDays, backupKeptDays]).toEqual([7, 30]);
    expect([jobFilesPrefix, uploadsPrefix, backupsPrefix]).toEqual([jobFiles.Prefix, jobUploads.Prefix, backups.Prefix]);
    // the prefixes that expire all lie outside the attachments'
    for (const prefix of [jobFilesPrefix, uploadsPrefix, backupsPrefix]) expect(prefix.startsWith(attachmentsPrefix), prefix).toBe(false);
    // the other rules expire nothing by prefix or date: an attachment is never expired
    const expiring = new Set([jobFiles.Id, jobUploads.Id, backups.Id]);
    const rules = JSON.stringify((bucket.Properties.LifecycleConfiguration.Rules as { Id: string }[]).filter((rule) => !expiring.has(rule.Id)));
    for (const absent of ['Prefix', 'Filter', 'ExpirationInDays', 'ExpirationDate', 'expire-abandoned-uploads']) expect(rules).not.toContain(absent);
  });

  it('lets the PWA origins GET, HEAD and POST (presigned POST uploads; no PUT) and read the ETag', () => {
    expect(bucket.Properties.CorsConfiguration).toEqual({
      CorsRules: [{ AllowedOrigins: corsOrigins, AllowedMethods: ['GET', 'HEAD', 'POST'], AllowedHeaders: ['*'], ExposedHeaders: ['ETag'], MaxAge: 3600 }],
    });
  });

  it('sends its events to EventBridge, set on the bucket itself (no notifications custom resource)', () => {
    expect(bucket.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    expect(ofType(data.toJSON().Resources, 'Custom::S3BucketNotifications')).toEqual([]);
  });
});

describe('upload verifier', () => {
  it('runs on "Object Created" of this bucket under workspaces/ or uploads/ only, retrying into a dead-letter queue', () => {
    const rules = ofType(jobResources, 'AWS::Events::Rule').map(([, rule]) => rule.Properties!);
    const verifierId = functionIdOf(synth.built.jobs.uploadVerifier.functionName);
    const targeting = rules.filter((rule) => JSON.stringify(rule.Targets).includes(`"${verifierId}"`));
    expect(targeting).toHaveLength(1);
    const [rule] = targeting;
    expect(rule!.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [bucket.Properties.BucketName] }, object: { key: [{ prefix: 'workspaces/' }, { prefix: 'uploads/' }] } },
    });
    expect(attachmentsPrefix).toBe('workspaces/');
    expect(verifiedPrefixes).toEqual([attachmentsPrefix, uploadsPrefix]);
    // a job's own files and backups never run the verifier
    for (const prefix of [jobFilesPrefix, backupsPrefix]) expect(verifiedPrefixes.some((verified) => prefix.startsWith(verified)), prefix).toBe(false);
    expect(rule!.Description).toBe('Runs the upload verifier for each object created under workspaces/ or uploads/ in the attachments bucket');
    expect(rule!.State).toBe('ENABLED');
    expect(rule!.Targets).toEqual([expect.objectContaining({
      Arn: { 'Fn::GetAtt': [verifierId, 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^UploadEventsFailures/), 'Arn'] } },
      RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: expect.any(Number) }),
    })]);
  });

  it('holds exactly ListBucket on the bucket and Get/Delete Object(Version) on its keys: reads and deletes, never writes', () => {
    const fn = jobResources[functionIdOf(synth.built.jobs.uploadVerifier.functionName)]!;
    const statements = roleStatements(jobResources, roleOf(fn));
    expect(s3Actions(statements)).toEqual(verifierActions);
    const s3Statements = statements.filter((statement) => ([] as string[]).concat(statement.Action).some((action) => action.startsWith('s3:')));
    const listing = s3Statements.find((statement) => statement.Action === 's3:ListBucket')!;
    expect(JSON.stringify(listing.Resource)).not.toContain('/*');
    for (const statement of s3Statements.filter((candidate) => candidate !== listing)) {
      expect(JSON.stringify(statement.Resource)).toMatch(/hw-attachments-.*\/\*"/);
      expect(statement.Effect).toBe('Allow');
    }
  });
});

describe('other roles on the bucket', () => {
  it('let the change feed delete objects and their versions (an attachment\'s object goes with its record), nothing else in S3', () => {
    const fn = jobResources[functionIdOf(synth.built.jobs.changeFeed.functionName)]!;
    expect(s3Actions(roleStatements(jobResources, roleOf(fn)))).toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion']);
  });

  it('let the job runner read photos and uploads, put job files and backups, and delete objects and their versions (a backup\'s parts once joined), nothing else in S3', () => {
    const fn = jobResources[functionIdOf(synth.built.jobs.jobRunner.functionName)]!;
    expect(s3Actions(roleStatements(jobResources, roleOf(fn)))).toEqual([
      's3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject',
    ]);
  });

  it('map a route\'s attachments level to object actions that cover versions', () => {
    const base = { table: 'read', mail: false, mailAccount: false, signingSecret: true } as const;
    expect(routeGrants({ ...base, attachments: 'none' }).attachments).toEqual([]);
    expect(routeGrants({ ...base, attachments: 'head' }).attachments).toEqual(['list']);
    expect(routeGrants({ ...base, attachments: 'read' }).attachments).toEqual(['list', 'read']);
    expect(routeGrants({ ...base, attachments: 'write' }).attachments).toEqual(['list', 'read', 'write', 'delete']);

    const files = templateFiles(synth.assembly);
    const actionsOfRoute = (route: RouteContract) => {
      const functionName = synth.built.api.routeFunctions.find((candidate) => candidate.contract.id === route.id)!.functionName;
      const { template } = files.find(({ template: candidate }) => Object.values(candidate.Resources ?? {})
        .some((resource) => resource.Properties?.FunctionName === functionName))!;
      const fn = Object.values(template.Resources!).find((resource) => resource.Properties?.FunctionName === functionName)!;
      return s3Actions(roleStatements(template.Resources!, roleOf(fn)));
    };
    // downloads are presigned GETs of the verified version
    expect(actionsOfRoute(downloadRoute)).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket']);
    // the upload form is a presigned POST, signed by the route's role: it needs PutObject
    expect(actionsOfRoute(uploadRoute)).toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:PutObject']);
    expect(actionsOfRoute(healthRoute)).toEqual([]);
  });

  it('give no S3 action to any other background function', () => {
    const withBucket = new Set([synth.built.jobs.uploadVerifier.functionName, synth.built.jobs.changeFeed.functionName, synth.built.jobs.jobRunner.functionName]);
    const others = [synth.built.jobs.mailFeedback, ...synth.built.jobs.scheduledJobs].filter((fn) => !withBucket.has(fn.functionName));
    expect(others.length).toBeGreaterThan(1);
    for (const other of others) {
      const fn = jobResources[functionIdOf(other.functionName)]!;
      expect(s3Actions(roleStatements(jobResources, roleOf(fn))), other.functionName).toEqual([]);
    }
  });
});

describe('attachment-cleanup job', () => {
  it('is declared in infra/functions.ts and runs hourly, UTC, with the Scheduler\'s retries and dead letters', () => {
    expect(scheduledJobs.find((job) => job.name === 'attachment-cleanup')).toMatchObject({
      module: 'functions/jobs/attachment-cleanup.ts', schedule: 'rate(1 hour)', reservedConcurrency: 1,
    });
    const job = synth.built.jobs.scheduledJobs.find((candidate) => candidate.entryName === 'job-attachment-cleanup')!;
    expect(job).toBeDefined();
    const functionId = functionIdOf(job.functionName);
    const schedule = ofType(jobResources, 'AWS::Scheduler::Schedule').map(([, candidate]) => candidate.Properties!)
      .find((candidate) => candidate.Target.Arn['Fn::GetAtt'][0] === functionId)!;
    expect(schedule).toMatchObject({
      ScheduleExpression: 'rate(1 hour)', ScheduleExpressionTimezone: 'UTC', State: 'ENABLED', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^ScheduleDeadLetters/), 'Arn'] } } },
    });
    expect(JSON.parse(schedule.Target.Input as string)).toMatchObject({ source: 'aws.scheduler', time: '<aws.scheduler.scheduled-time>' });
    expect(jobResources[functionId]!.Properties!.ReservedConcurrentExecutions).toBe(1);
  });

  it('sends a failed run (after one retry) to its own on-failure queue, which alarms to the alarm topic', () => {
    const job = synth.built.jobs.scheduledJobs.find((candidate) => candidate.entryName === 'job-attachment-cleanup')!;
    const functionId = functionIdOf(job.functionName);
    const config = ofType(jobResources, 'AWS::Lambda::EventInvokeConfig').map(([, candidate]) => candidate.Properties!)
      .find((candidate) => candidate.FunctionName.Ref === functionId)!;
    expect(config).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 });
    const queueId = config.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    expect(queueId).toMatch(/^jobattachmentcleanupfailures/);
    expect(jobResources[queueId]!.Type).toBe('AWS::SQS::Queue');
    const alarm = ofType(jobResources, 'AWS::CloudWatch::Alarm').map(([, candidate]) => candidate.Properties!)
      .find((candidate) => JSON.stringify(candidate.Dimensions ?? []).includes(`"${queueId}"`))!;
    expect(alarm).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    expect(alarm.AlarmActions).toHaveLength(1);
  });
});

describe('dashboard', () => {
  it('charts the upload verifier\'s verdicts in one widget, and what removes attachments in another', () => {
    const observability = templateOf(synth.assembly, synth.built.observability);
    const body = Object.values(observability.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
    const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
    const widgets = (JSON.parse(text) as { widgets: { properties: { title?: string; metrics?: unknown[] } }[] }).widgets;
    expect(uploadVerdictMetricNames).toEqual(['AttachmentsVerified', 'AttachmentsRejected', 'StrayObjectsDeleted']);
    expect(attachmentCleanupMetricNames).toEqual([metricNames.attachmentObjectsDeleted, metricNames.abandonedUploadsDeleted]);
    for (const [title, names] of [['Attachments: upload verifier', uploadVerdictMetricNames], ['Attachments: removed', attachmentCleanupMetricNames]] as const) {
      const widget = widgets.find((candidate) => candidate.properties.title?.startsWith(title))!;
      expect(widget, title).toBeDefined();
      const metrics = JSON.stringify(widget.properties.metrics);
      for (const name of names) expect(metrics, name).toContain(`MetricName=\\"${name}\\"`);
    }
  });
});

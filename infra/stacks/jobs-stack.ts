// The Lambdas that are not HTTP routes (infra/functions.ts): the change feed on the table's
// stream, the upload verifier on S3 "Object Created" events (through EventBridge, so the data
// stack does not depend on this one), and one EventBridge Scheduler schedule per scheduled job.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { changeFeedEntryName, jobEntryName, uploadVerifierEntryName } from '../bundle.js';
import { AppFunction, lambdaFunctionName } from '../constructs/app-function.js';
import { acknowledge } from '../constructs/nag.js';
import { grantAttachments, grantSendMail, grantTableData } from '../constructs/permissions.js';
import { StreamConsumer } from '../constructs/stream-consumer.js';
import type { ScheduledJob } from '../functions.js';

export interface JobsStackProps extends StackProps {
  jobs: readonly ScheduledJob[];
  codeDirOf: (entryName: string) => string;
  table: dynamodb.ITable;
  /** attachments bucket name (see DataStack.bucketName) */
  bucketName: string;
  environment: Record<string, string>;
  mailFrom: string;
  functionNamePrefix: string;
  logRetention: logs.RetentionDays;
  alarmActions?: cloudwatch.IAlarmAction[];
}

export interface BackgroundFunction {
  entryName: string;
  functionName: string;
  function: lambda.Function;
  role: iam.Role;
}

export class JobsStack extends Stack {
  readonly changeFeed: BackgroundFunction;
  readonly changeFeedConsumer: StreamConsumer;
  readonly uploadVerifier: BackgroundFunction;
  readonly uploadRule: events.Rule;
  readonly scheduledJobs: (BackgroundFunction & { schedule: scheduler.CfnSchedule })[] = [];

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);

    // The change feed: reads every change of the table and projects it (change log, activity,
    // search postings, stats, low-stock notifications). It writes to the table only.
    this.changeFeed = this.backgroundFunction(props, changeFeedEntryName, 'Projects the table stream', {
      memorySize: 1024, timeout: Duration.seconds(60),
    });
    grantTableData(this.changeFeed.role, props.table);
    this.changeFeedConsumer = new StreamConsumer(this, 'ChangeFeedConsumer', {
      table: props.table,
      handler: this.changeFeed.function,
      alarmActions: props.alarmActions,
    });

    // The upload verifier: checks each new object (size, type by magic bytes) and records the verdict.
    this.uploadVerifier = this.backgroundFunction(props, uploadVerifierEntryName, 'Verifies uploaded attachments', {
      memorySize: 512, timeout: Duration.seconds(30),
    });
    grantTableData(this.uploadVerifier.role, props.table);
    grantAttachments(this.uploadVerifier.role, props.bucketName);

    const verifierFailures = new sqs.Queue(this, 'UploadEventsFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(verifierFailures, 'AwsSolutions-SQS3',
      'This queue is the dead-letter queue of the upload-verifier EventBridge target; a dead-letter queue behind it would add nothing.');
    this.uploadRule = new events.Rule(this, 'UploadCreated', {
      description: 'Runs the upload verifier for each object created in the attachments bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.bucketName] } },
      },
      targets: [new targets.LambdaFunction(this.uploadVerifier.function, {
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: verifierFailures,
      })],
    });

    // Scheduled jobs: one Lambda and one schedule each, invoked by one scheduler role.
    if (props.jobs.length > 0) {
      const schedulerRole = new iam.Role(this, 'SchedulerRole', {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        description: 'Lets EventBridge Scheduler invoke the scheduled job Lambdas',
      });
      for (const job of props.jobs) {
        const entryName = jobEntryName(job);
        const fn = this.backgroundFunction(props, entryName, job.description, { memorySize: 512, timeout: Duration.minutes(5) });
        // Jobs work on the whole store (purges remove a workspace's items and attachments,
        // reminders send mail), so they get the table, the attachments and mail.
        grantTableData(fn.role, props.table);
        grantAttachments(fn.role, props.bucketName);
        grantSendMail(fn.role, props.mailFrom);
        schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [fn.function.functionArn],
        }));
        const schedule = new scheduler.CfnSchedule(this, `${entryName}-schedule`, {
          description: job.description,
          scheduleExpression: job.schedule,
          scheduleExpressionTimezone: 'UTC',
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: fn.function.functionArn,
            roleArn: schedulerRole.roleArn,
            retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
          },
        });
        this.scheduledJobs.push({ ...fn, schedule });
      }
    }
  }

  private backgroundFunction(
    props: JobsStackProps,
    entryName: string,
    description: string,
    sizing: { memorySize: number; timeout: Duration },
  ): BackgroundFunction {
    const role = new iam.Role(this, `${entryName}-role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Lambda ${entryName}`,
    });
    const functionName = lambdaFunctionName(props.functionNamePrefix, entryName);
    const { function: fn } = new AppFunction(this, entryName, {
      functionName,
      description,
      codeDir: props.codeDirOf(entryName),
      role,
      environment: props.environment,
      memorySize: sizing.memorySize,
      timeout: sizing.timeout,
      logRetention: props.logRetention,
    });
    return { entryName, functionName, function: fn, role };
  }
}

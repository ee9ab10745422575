// The Lambdas that are not HTTP routes (infra/functions.ts): the change feed on the table's
// stream, the upload verifier on S3 "Object Created" events (through EventBridge, so the data
// stack does not depend on this one), and one EventBridge Scheduler schedule per scheduled job.
// It also holds the mail's configuration set, whose bounces and complaints go through an SNS topic
// to the mail-feedback handler. Every asynchronous path ends in a queue with an alarm
// (infra/constructs/failure-queue.ts), so no event is lost silently: the stream's on-failure queue,
// Lambda's on-failure destination of the verifier, the mail feedback and each job, the rule's, the
// subscription's and the schedules' dead-letter queues.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { changeFeedEntryName, jobEntryName, jobRunnerEntryName, mailFeedbackEntryName, uploadVerifierEntryName } from '../bundle.js';
import { AppFunction, lambdaFunctionName } from '../constructs/app-function.js';
import { AsyncFailures, failureQueue, queueDepthAlarm } from '../constructs/failure-queue.js';
import { backgroundGrants, grant, type Grants } from '../constructs/permissions.js';
import { serviceTopicKey } from '../constructs/service-topic-key.js';
import { StreamConsumer } from '../constructs/stream-consumer.js';
import { changeFeed, jobRunner, mailFeedback, uploadVerifier, type BackgroundEntry, type JobDeclaration } from '../functions.js';
import { importTable, verifiedPrefixes, type DataParameters } from './data-stack.js';

const runbook = 'runbooks/incident-response.md, "Failure queues"';

export interface JobsStackProps extends StackProps {
  jobs: readonly JobDeclaration[];
  codeDirOf: (entryName: string) => string;
  /** the data stack's SSM parameters (weak references: see DataStack) */
  dataParameters: DataParameters;
  /** attachments bucket name (see DataStack.bucketName) */
  bucketName: string;
  /** variables every function gets (see shared/config.ts); TABLE_NAME is added from the data stack's parameter */
  environment: Record<string, string>;
  mailFrom: string;
  /** the SES configuration set every send goes through (its bounces and complaints reach the mail-feedback handler); also MAIL_CONFIGURATION_SET in `environment` */
  mailConfigurationSetName: string;
  jwtSecretParameterName: string;
  functionNamePrefix: string;
  logRetention: logs.RetentionDays;
  alarmActions?: cloudwatch.IAlarmAction[];
}

export interface BackgroundFunction {
  entryName: string;
  functionName: string;
  function: lambda.Function;
  role: iam.Role;
  grants: Grants;
}

/** `<prefix>-jobs`: the schedule group of the app's jobs, also the dimension of their Scheduler metrics. */
export function scheduleGroupName(prefix: string): string {
  return `${prefix}-jobs`;
}

export class JobsStack extends Stack {
  readonly table: dynamodb.ITable;
  readonly changeFeed: BackgroundFunction;
  readonly changeFeedConsumer: StreamConsumer;
  readonly jobRunner: BackgroundFunction;
  readonly jobRunnerConsumer: StreamConsumer;
  readonly uploadVerifier: BackgroundFunction;
  readonly uploadVerifierFailures: AsyncFailures;
  readonly uploadRule: events.Rule;
  readonly uploadRuleDeadLetters: sqs.Queue;
  readonly scheduledJobs: (BackgroundFunction & { schedule: scheduler.CfnSchedule; failures: AsyncFailures })[] = [];
  /** jobs without a schedule: their Lambda only, for an operator to invoke */
  readonly onDemandJobs: (BackgroundFunction & { failures: AsyncFailures })[] = [];
  readonly scheduleDeadLetters?: sqs.Queue;
  readonly mailConfigurationSet: ses.ConfigurationSet;
  readonly mailFeedbackTopic: sns.Topic;
  readonly mailFeedback: BackgroundFunction;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    this.table = importTable(this, props.dataParameters, { stream: true });

    // The change feed: reads every change of the table and projects it (change log, activity,
    // search postings, stats, notifications, the mail outbox).
    this.changeFeed = this.backgroundFunction(props, changeFeedEntryName, 'Projects the table stream', changeFeed, {
      memorySize: 1024, timeout: Duration.seconds(60),
    });
    this.changeFeedConsumer = new StreamConsumer(this, 'ChangeFeedConsumer', {
      table: this.table,
      handler: this.changeFeed.function,
      alarmActions: props.alarmActions,
    });
    this.alarms.push(this.changeFeedConsumer.failuresAlarm, this.changeFeedConsumer.iteratorAgeAlarm);

    // The job runner: the same stream, filtered to queued jobs, one per invocation; a job may take
    // minutes (an export of 20,000 rows, a report with hundreds of photos, a step of an import or
    // a backup) and never holds up the change feed. DynamoDB gives a stream's shards to two readers at once: these are the two.
    this.jobRunner = this.backgroundFunction(props, jobRunnerEntryName, 'Runs background jobs (exports, imports, backups, printing)', jobRunner, {
      memorySize: 1769, timeout: Duration.minutes(15),
    });
    this.jobRunnerConsumer = new StreamConsumer(this, 'JobRunnerConsumer', {
      table: this.table,
      handler: this.jobRunner.function,
      batchSize: 1,
      // up to this many jobs at once, of different workspaces (the job records' partition key): one's long import does not hold up another's print
      parallelizationFactor: jobRunner.reservedConcurrency,
      retryAttempts: 2,
      // a QUEUED job: new (INSERT), its file arrived, or its next step (MODIFY); progress and settling leave it RUNNING, DONE or FAILED
      filters: [lambda.FilterCriteria.filter({ dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('JOB') }, status: { S: lambda.FilterRule.isEqual('QUEUED') } } } })],
      // a job runs up to 15 minutes; the next one waits behind it
      maxIteratorAge: Duration.minutes(20),
      alarmActions: props.alarmActions,
    });
    this.alarms.push(this.jobRunnerConsumer.failuresAlarm, this.jobRunnerConsumer.iteratorAgeAlarm);

    // The upload verifier: checks each new upload (size, type by magic bytes) and records the
    // verdict with the version it verified; deletes rejected objects and versions nobody asked for.
    this.uploadVerifier = this.backgroundFunction(props, uploadVerifierEntryName, 'Verifies uploaded attachments', uploadVerifier, {
      memorySize: 512, timeout: Duration.seconds(30),
    });
    this.uploadVerifierFailures = new AsyncFailures(this, 'UploadVerifierFailures', {
      handler: this.uploadVerifier.function, runbook, alarmActions: props.alarmActions,
    });
    // Events EventBridge could not deliver to the Lambda at all (missing permission, throttled
    // past the event age); events Lambda accepted but the verifier failed on go to the queue above.
    this.uploadRuleDeadLetters = failureQueue(this, 'UploadEventsFailures', 'the dead-letter queue of the upload-verifier EventBridge target');
    this.uploadRule = new events.Rule(this, 'UploadCreated', {
      description: `Runs the upload verifier for each object created under ${verifiedPrefixes.join(' or ')} in the attachments bucket`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        // Every attachment upload (a presigned POST) and nothing else: objects are only ever
        // created by the phones' uploads, and the verifier itself only reads and deletes, so it
        // never triggers itself. A second POST to a verified key is a new version: the verifier
        // runs for it too, and deletes it (the bucket is versioned: see DataStack).
        detail: { bucket: { name: [props.bucketName] }, object: { key: events.Match.anyOf(...verifiedPrefixes.map((prefix) => events.Match.prefix(prefix))) } },
      },
      targets: [new targets.LambdaFunction(this.uploadVerifier.function, {
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.uploadRuleDeadLetters,
      })],
    });
    this.alarms.push(
      this.uploadVerifierFailures.alarm,
      queueDepthAlarm(this, 'UploadEventsFailuresAlarm', this.uploadRuleDeadLetters,
        `Upload events could not be delivered to the upload verifier; see ${runbook}.`, props.alarmActions),
    );

    // Mail feedback: every send goes through this configuration set, which publishes bounces and
    // complaints to a topic; the mail-feedback handler marks undeliverable addresses and tells the
    // lender of a bounced reminder. SNS invokes it asynchronously: what it fails on after Lambda's
    // retries lands in its on-failure queue, what SNS cannot deliver in the subscription's
    // dead-letter queue; both alarm.
    this.mailConfigurationSet = new ses.ConfigurationSet(this, 'MailConfigurationSet', {
      configurationSetName: props.mailConfigurationSetName,
      reputationMetrics: true,
    });
    // Encrypted with a key SES may use.
    const feedbackKey = serviceTopicKey(this, 'MailFeedbackKey', 'Encrypts the SES bounce and complaint topic of Home Warehouse', 'ses.amazonaws.com',
      { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } });
    this.mailFeedbackTopic = new sns.Topic(this, 'MailFeedbackTopic', { displayName: 'Home Warehouse SES bounces and complaints', masterKey: feedbackKey, enforceSSL: true });
    this.mailConfigurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.mailFeedbackTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    this.mailFeedback = this.backgroundFunction(props, mailFeedbackEntryName, 'Marks addresses SES reports undeliverable', mailFeedback, {
      memorySize: 512, timeout: Duration.seconds(30),
    });
    const feedbackFailures = new AsyncFailures(this, 'MailFeedbackFailures', {
      handler: this.mailFeedback.function, runbook, alarmActions: props.alarmActions,
    });
    const feedbackDeadLetters = failureQueue(this, 'MailFeedbackDeadLetters', 'the dead-letter queue of the SES feedback subscription');
    this.mailFeedbackTopic.addSubscription(new subscriptions.LambdaSubscription(this.mailFeedback.function, { deadLetterQueue: feedbackDeadLetters }));
    this.alarms.push(
      feedbackFailures.alarm,
      queueDepthAlarm(this, 'MailFeedbackDeadLettersAlarm', feedbackDeadLetters,
        `SES bounce or complaint notifications could not be delivered to the mail-feedback handler; see ${runbook}.`, props.alarmActions),
    );

    if (props.jobs.length > 0) this.scheduleDeadLetters = this.schedule(props);
  }

  /** Scheduled jobs: one Lambda and one schedule each, in one schedule group, invoked by one scheduler role. */
  private schedule(props: JobsStackProps): sqs.Queue {
    const groupName = scheduleGroupName(props.functionNamePrefix);
    const group = new scheduler.CfnScheduleGroup(this, 'ScheduleGroup', { name: groupName });
    const deadLetters = failureQueue(this, 'ScheduleDeadLetters', 'the dead-letter queue of the job schedules');
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler invoke the scheduled job Lambdas and dead-letter what it cannot deliver',
    });
    // The Scheduler sends dead letters with the schedule's own role.
    deadLetters.grantSendMessages(schedulerRole);

    for (const job of props.jobs) {
      const entryName = jobEntryName(job);
      const fn = this.backgroundFunction(props, entryName, job.description, job, { memorySize: 512, timeout: Duration.minutes(5) });
      // Jobs are idempotent and run again at their next time: one retry after an error is enough.
      const failures = new AsyncFailures(this, `${entryName}-failures`, {
        handler: fn.function, retryAttempts: 1, maxEventAge: Duration.hours(1), runbook, alarmActions: props.alarmActions,
      });
      this.alarms.push(failures.alarm);
      // an on-demand job (no schedule) is invoked by an operator
      if (!job.schedule) {
        this.onDemandJobs.push({ ...fn, failures });
        continue;
      }
      schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [fn.function.functionArn],
      }));
      const schedule = new scheduler.CfnSchedule(this, `${entryName}-schedule`, {
        description: job.description,
        // Ref of a schedule group is its name; the reference also orders the group first
        groupName: group.ref,
        scheduleExpression: job.schedule,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: fn.function.functionArn,
          roleArn: schedulerRole.roleArn,
          // The envelope the local scheduler sends too; `time` is the scheduled time (the same on
          // the Scheduler's retries), so a job works on the day it was meant for.
          input: JSON.stringify({
            version: '0', id: '<aws.scheduler.execution-id>', 'detail-type': 'Scheduled Event', source: 'aws.scheduler',
            time: '<aws.scheduler.scheduled-time>', resources: ['<aws.scheduler.schedule-arn>'], detail: {},
          }),
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
          deadLetterConfig: { arn: deadLetters.queueArn },
        },
      });
      this.scheduledJobs.push({ ...fn, schedule, failures });
    }

    this.alarms.push(queueDepthAlarm(this, 'ScheduleDeadLettersAlarm', deadLetters,
      `The Scheduler could not invoke a job after its retries; see ${runbook}.`, props.alarmActions));
    // Invocations the Scheduler could not make (target errors: throttled, missing permission),
    // dropped, or not even dead-lettered, for this app's schedule group.
    const schedulerMetric = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/Scheduler', metricName, dimensionsMap: { ScheduleGroup: groupName },
      statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5),
    });
    const schedulerErrors = new cloudwatch.Alarm(this, 'SchedulerErrorsAlarm', {
      alarmDescription: `EventBridge Scheduler failed to invoke a job of ${groupName} (target errors, dropped invocations); see ${runbook}.`,
      metric: new cloudwatch.MathExpression({
        expression: 'errors + dropped + undeliverable',
        usingMetrics: {
          errors: schedulerMetric('TargetErrorCount'),
          dropped: schedulerMetric('InvocationDroppedCount'),
          undeliverable: schedulerMetric('InvocationsFailedToBeSentToDeadLetterCount'),
        },
        label: 'Scheduler target errors and dropped invocations',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const action of props.alarmActions ?? []) schedulerErrors.addAlarmAction(action);
    this.alarms.push(schedulerErrors);
    return deadLetters;
  }

  private backgroundFunction(
    props: JobsStackProps,
    entryName: string,
    description: string,
    entry: BackgroundEntry,
    sizing: { memorySize: number; timeout: Duration },
  ): BackgroundFunction {
    const role = new iam.Role(this, `${entryName}-role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Lambda ${entryName}`,
    });
    const grants = backgroundGrants(entry.grants);
    grant(role, grants, {
      table: this.table, bucketName: props.bucketName, mailFrom: props.mailFrom, mailConfigurationSetName: props.mailConfigurationSetName,
      jwtSecretParameterName: props.jwtSecretParameterName,
    });
    const functionName = lambdaFunctionName(props.functionNamePrefix, entryName);
    const { function: fn } = new AppFunction(this, entryName, {
      functionName,
      description,
      codeDir: props.codeDirOf(entryName),
      role,
      environment: { ...props.environment, TABLE_NAME: this.table.tableName },
      memorySize: sizing.memorySize,
      timeout: sizing.timeout,
      logRetention: props.logRetention,
      parametersExtension: grants.signingSecret,
      // Reserved out of the account's pool, so a burst of API traffic cannot starve the change
      // feed or a job (infra/functions.ts says how many each gets, and why).
      ...(entry.reservedConcurrency === undefined ? {} : { reservedConcurrency: entry.reservedConcurrency }),
    });
    return { entryName, functionName, function: fn, role, grants };
  }
}

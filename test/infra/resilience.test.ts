// No event lost silently, nothing starved, slow and costly calls visible: the jobs stack's
// failure destinations, dead-letter queues, alarms and reserved concurrency, and the
// observability stack's DynamoDB alarms and per-operation widgets, read from the templates.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '../../shared/db/table-definition.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { metricDimensions } from '../../shared/observability/metric-dimensions.js';
import { changeFeed, jobRunner, scheduledJobs, type JobDeclaration } from '../../infra/functions.js';
import { attachmentsPrefix } from '../../infra/stacks/data-stack.js';
import { uploadsPrefix } from '../../infra/bucket-prefixes.js';
import { scheduleGroupName } from '../../infra/stacks/jobs-stack.js';
import { synthApp, templateOf, testContext, type Synthesised } from './helpers.js';

/** A second job, so the per-job wiring is seen for more than one. */
const extraJob: JobDeclaration = {
  name: 'test-reminders', module: 'functions/jobs/purge-workspaces.ts', export: 'handler',
  schedule: 'cron(0 8 * * ? *)', description: 'Injected by the resilience test',
  grants: { table: 'read', attachments: [], mail: true }, reservedConcurrency: 2,
};
const jobs = [...scheduledJobs, extraJob];

let synth: Synthesised;
let jobsTemplate: Template;
type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;
let resources: Resources;

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const functionId = (functionName: string) => ofType('AWS::Lambda::Function').find(([, fn]) => fn.Properties.FunctionName === functionName)![0];

/** The queue alarms of the jobs stack, by the logical id of the queue they watch. */
function queueAlarms(): Map<string, Record<string, any>> {
  const alarms = new Map<string, Record<string, any>>();
  for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) {
    if (alarm.Properties.Namespace !== 'AWS/SQS') continue;
    const queue = (alarm.Properties.Dimensions[0].Value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    alarms.set(queue, alarm.Properties);
  }
  return alarms;
}

beforeAll(() => {
  synth = synthApp({ jobs });
  jobsTemplate = templateOf(synth.assembly, synth.built.jobs);
  resources = jobsTemplate.toJSON().Resources as Resources;
});

describe('asynchronous paths', () => {
  it('send what the upload verifier, the mail feedback and each job fail on to an on-failure queue', () => {
    const invokeConfigs = ofType('AWS::Lambda::EventInvokeConfig').map(([, config]) => config.Properties);
    const asyncFunctions = [synth.built.jobs.uploadVerifier, synth.built.jobs.mailFeedback, ...synth.built.jobs.scheduledJobs, ...synth.built.jobs.onDemandJobs];
    expect(invokeConfigs).toHaveLength(asyncFunctions.length);
    for (const fn of asyncFunctions) {
      const config = invokeConfigs.find((candidate) => candidate.FunctionName.Ref === functionId(fn.functionName))!;
      expect(config, fn.functionName).toBeDefined();
      const queue = config.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
      expect(resources[queue]!.Type).toBe('AWS::SQS::Queue');
      expect(config.MaximumRetryAttempts).toBeLessThanOrEqual(2);
      expect(config.MaximumEventAgeInSeconds).toBeGreaterThan(0);
    }
  });

  it('dead-letter what the Scheduler cannot deliver, with the role allowed to send there', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').map(([, schedule]) => schedule.Properties);
    // jobs without a schedule (search-reindex) are invoked by an operator
    expect(schedules).toHaveLength(jobs.filter((job) => job.schedule).length);
    const deadLetters = new Set(schedules.map((schedule) => schedule.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string));
    expect(deadLetters.size).toBe(1);
    const [queue] = [...deadLetters];
    for (const schedule of schedules) {
      expect(resources[schedule.GroupName.Ref]!.Type).toBe('AWS::Scheduler::ScheduleGroup');
      expect(schedule.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    }
    jobsTemplate.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: scheduleGroupName('hw') });
    const roleId = schedules[0]!.Target.RoleArn['Fn::GetAtt'][0] as string;
    const statements = ofType('AWS::IAM::Policy').filter(([, policy]) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    expect(statements.some((statement) => ([] as string[]).concat(statement.Action).includes('sqs:SendMessage')
      && JSON.stringify(statement.Resource).includes(queue!))).toBe(true);
  });

  it('runs the loan reminders daily at 09:00 UTC, every job told its scheduled time (the same on the Scheduler\'s retries)', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').map(([, schedule]) => schedule.Properties);
    const job = synth.built.jobs.scheduledJobs.find((candidate) => candidate.entryName === 'job-loan-reminders')!;
    const reminders = schedules.find((schedule) => schedule.Target.Arn['Fn::GetAtt'][0] === functionId(job.functionName))!;
    expect(reminders).toMatchObject({ ScheduleExpression: 'cron(0 9 * * ? *)', ScheduleExpressionTimezone: 'UTC', FlexibleTimeWindow: { Mode: 'OFF' } });
    for (const schedule of schedules) {
      expect(JSON.parse(schedule.Target.Input as string)).toMatchObject({ source: 'aws.scheduler', time: '<aws.scheduler.scheduled-time>' });
    }
  });

  it('takes the reminders\' schedule and settings from context, checked like the environment', () => {
    const custom = synthApp({ context: { ...testContext, loanReminderSchedule: 'cron(30 6 * * ? *)', loanReminderDueSoonDays: '5' } });
    const template = templateOf(custom.assembly, custom.built.jobs);
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(30 6 * * ? *)' });
    const job = custom.built.jobs.scheduledJobs.find((candidate) => candidate.entryName === 'job-loan-reminders')!;
    const fn = Object.values(template.toJSON().Resources as Resources).find((resource) => resource.Properties?.FunctionName === job.functionName)!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ LOAN_REMINDER_SCHEDULE: 'cron(30 6 * * ? *)', LOAN_REMINDER_DUE_SOON_DAYS: '5' });
    expect(() => synthApp({ loanReminders: { dueSoonDays: 99 } })).toThrow(/LOAN_REMINDER_DUE_SOON_DAYS/);
  });

  it('keeps every failure queue encrypted and TLS-only, and alarms on each one to the alarm topic', () => {
    const queues = ofType('AWS::SQS::Queue');
    // change feed, job runner, verifier (Lambda and rule), mail feedback (Lambda and subscription), one per job, the schedules' dead letters
    expect(queues).toHaveLength(1 + 1 + 2 + 2 + jobs.length + 1);
    const alarms = queueAlarms();
    for (const [id, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      expect(queue.Properties.MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
      const alarm = alarms.get(id)!;
      expect(alarm, id).toBeDefined();
      expect(alarm).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      expect(alarm.AlarmActions).toHaveLength(1);
      const policy = ofType('AWS::SQS::QueuePolicy').find(([, candidate]) => JSON.stringify(candidate.Properties.Queues) === JSON.stringify([{ Ref: id }]));
      expect(JSON.stringify(policy?.[1].Properties.PolicyDocument), id).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('publishes SES bounces and complaints of the configuration set every send names to the mail-feedback handler, dead-lettering what SNS cannot deliver', () => {
    const [setId, set] = ofType('AWS::SES::ConfigurationSet')[0]!;
    expect(set.Properties.Name).toBe('hw-mail');
    const [, destination] = ofType('AWS::SES::ConfigurationSetEventDestination')[0]!;
    expect(destination.Properties.ConfigurationSetName).toEqual({ Ref: setId });
    expect(destination.Properties.EventDestination.MatchingEventTypes.sort()).toEqual(['bounce', 'complaint']);
    const topicId = destination.Properties.EventDestination.SnsDestination.TopicARN.Ref as string;
    expect(resources[topicId]!.Properties.KmsMasterKeyId).toBeDefined();
    const [, subscription] = ofType('AWS::SNS::Subscription')[0]!;
    expect(subscription.Properties).toMatchObject({ Protocol: 'lambda', TopicArn: { Ref: topicId } });
    expect(subscription.Properties.Endpoint['Fn::GetAtt'][0]).toBe(functionId(synth.built.jobs.mailFeedback.functionName));
    const deadLetters = subscription.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string;
    expect(resources[deadLetters]!.Type).toBe('AWS::SQS::Queue');
    // the change feed sends through the set: its role may name it, and it gets its name
    const feed = ofType('AWS::Lambda::Function').find(([id]) => id === functionId(synth.built.jobs.changeFeed.functionName))![1];
    expect(feed.Properties.Environment.Variables.MAIL_CONFIGURATION_SET).toBe('hw-mail');
    expect(JSON.stringify(ofType('AWS::IAM::Policy'))).toContain(':configuration-set/hw-mail');
  });

  it('runs the upload verifier only for keys under the attachments prefix or the job uploads prefix', () => {
    jobsTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'], 'detail-type': ['Object Created'],
        detail: { bucket: { name: [Match.anyValue()] }, object: { key: [{ prefix: attachmentsPrefix }, { prefix: uploadsPrefix }] } },
      },
    });
    expect(attachmentsPrefix).toBe('workspaces/');
    expect(uploadsPrefix).toBe('uploads/');
  });

  it('alarms on Scheduler target errors and dropped invocations of the app\'s schedule group', () => {
    const alarm = ofType('AWS::CloudWatch::Alarm').map(([, candidate]) => candidate.Properties)
      .find((candidate) => JSON.stringify(candidate.Metrics ?? []).includes('AWS/Scheduler'))!;
    expect(alarm).toBeDefined();
    const metrics = (alarm.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown } } }[])
      .flatMap((entry) => (entry.MetricStat ? [entry.MetricStat.Metric] : []));
    expect(metrics.map((metric) => metric.MetricName)).toEqual(expect.arrayContaining(['TargetErrorCount', 'InvocationDroppedCount']));
    for (const metric of metrics) expect(metric.Dimensions).toEqual([{ Name: 'ScheduleGroup', Value: scheduleGroupName('hw') }]);
    expect(alarm.AlarmActions).toHaveLength(1);
  });

  it('sends every alarm of the jobs stack to the alarm topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBe(synth.built.jobs.alarms.length);
    for (const [id, alarm] of alarms) expect(alarm.Properties.AlarmActions, id).toHaveLength(1);
  });
});

describe('reserved concurrency', () => {
  it('reserves executions for the change feed, the job runner (as many as its mapping\'s parallelization factor) and each job, as infra/functions.ts declares', () => {
    const reserved = (functionName: string) => resources[functionId(functionName)]!.Properties.ReservedConcurrentExecutions;
    expect(reserved(synth.built.jobs.changeFeed.functionName)).toBe(changeFeed.reservedConcurrency);
    expect(changeFeed.reservedConcurrency).toBe(5);
    // the job runner, a stream consumer: jobs of different workspaces side by side, no more than it reserves
    expect(reserved(synth.built.jobs.jobRunner.functionName)).toBe(jobRunner.reservedConcurrency);
    expect(jobRunner.reservedConcurrency).toBe(4);
    const [, runnerMapping] = ofType('AWS::Lambda::EventSourceMapping')
      .find(([, mapping]) => mapping.Properties.FunctionName.Ref === functionId(synth.built.jobs.jobRunner.functionName))!;
    expect(runnerMapping.Properties.ParallelizationFactor).toBe(jobRunner.reservedConcurrency);
    // scheduled jobs: one or two at a time
    for (const job of synth.built.jobs.scheduledJobs) {
      const declared = jobs.find((candidate) => `job-${candidate.name}` === job.entryName)!;
      expect(reserved(job.functionName), job.entryName).toBe(declared.reservedConcurrency);
      expect(declared.reservedConcurrency).toBeGreaterThanOrEqual(1);
      expect(declared.reservedConcurrency).toBeLessThanOrEqual(2);
    }
    // HTTP routes reserve nothing: they share what is left
    for (const group of synth.built.api.groups) {
      for (const fn of Object.values(templateOf(synth.assembly, group).findResources('AWS::Lambda::Function'))) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });
});

describe('slow and costly operations', () => {
  let observability: Template;
  let dashboard: string;
  beforeAll(() => {
    observability = templateOf(synth.assembly, synth.built.observability);
    const body = Object.values(observability.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
    dashboard = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  });

  it('alarms on DynamoDB throttles of the table and every index', () => {
    const alarm = Object.values(observability.findResources('AWS::CloudWatch::Alarm'))
      .find((candidate) => JSON.stringify(candidate.Properties.Metrics ?? []).includes('AWS/DynamoDB'))!;
    expect(alarm).toBeDefined();
    const metrics = (alarm.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: unknown }[] } } }[])
      .flatMap((entry) => (entry.MetricStat ? [entry.MetricStat.Metric] : []));
    expect(new Set(metrics.map((metric) => metric.MetricName))).toEqual(new Set(['ReadThrottleEvents', 'WriteThrottleEvents']));
    const indexes = new Set(metrics.map((metric) => metric.Dimensions.find((dimension) => dimension.Name === 'GlobalSecondaryIndexName')?.Value ?? 'table'));
    expect(indexes).toEqual(new Set(['table', ...tableDefinition.globalSecondaryIndexes.map((index) => index.name)]));
    expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });

  it('charts consumed read/write capacity and slow calls summed per operation, by a query that finds new operations', () => {
    for (const name of [metricNames.consumedReadCapacity, metricNames.consumedWriteCapacity, metricNames.slowDynamoDbCalls]) {
      expect(dashboard, name).toContain(`SELECT SUM(${name}) FROM \\"HomeWarehouse\\"`);
      expect(dashboard, name).toContain(`GROUP BY ${metricDimensions.operation}`);
    }
  });

  it('gives every function the slow-call threshold (DYNAMODB_SLOW_MS, default 100)', () => {
    const functions = [synth.built.jobs, ...synth.built.api.groups]
      .flatMap((stack) => Object.values(templateOf(synth.assembly, stack).findResources('AWS::Lambda::Function')));
    expect(functions.length).toBeGreaterThan(3);
    for (const fn of functions) expect(fn.Properties.Environment.Variables.DYNAMODB_SLOW_MS, fn.Properties.FunctionName).toBe('100');
  });
});

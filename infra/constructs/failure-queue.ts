// Where events that could not be processed go, so none is lost silently: an encrypted, TLS-only
// SQS queue that keeps them for 14 days (the runbook replays or drains it), and an alarm as soon
// as one message is in it. Used for every asynchronous path: the stream's on-failure destination,
// Lambda's async on-failure destinations, the EventBridge rule's and the Scheduler's dead letters.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.js';

/**
 * The queue, created as `scope/id` (its logical id stays what it was before this helper existed).
 * `role` says what sends to it, for the dead-letter-queue acknowledgement.
 */
export function failureQueue(scope: Construct, id: string, role: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(queue, 'AwsSolutions-SQS3', `This queue is itself ${role}; a dead-letter queue behind it would add nothing.`);
  return queue;
}

/** Alarm when any message is visible in the queue (checked every minute). */
export function queueDepthAlarm(
  scope: Construct,
  id: string,
  queue: sqs.IQueue,
  description: string,
  alarmActions: readonly cloudwatch.IAlarmAction[] = [],
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  for (const action of alarmActions) alarm.addAlarmAction(action);
  return alarm;
}

export interface AsyncFailuresProps {
  /** a Lambda invoked asynchronously (by EventBridge, by the Scheduler) */
  handler: lambda.Function;
  /** Lambda's own retries after an error; default 2 (its maximum) */
  retryAttempts?: number;
  /** how long Lambda keeps an event queued (throttles included); default 6 hours */
  maxEventAge?: Duration;
  /** runbook section the alarm points at */
  runbook: string;
  alarmActions?: readonly cloudwatch.IAlarmAction[];
}

/**
 * Lambda's on-failure destination for asynchronous invokes: an event that still fails after
 * Lambda's retries, or waits longer than `maxEventAge`, is sent to the queue with its payload,
 * the error and the request id (instead of being dropped, Lambda's default).
 */
export class AsyncFailures extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AsyncFailuresProps) {
    super(scope, id);
    this.queue = failureQueue(this, 'Queue', `the on-failure destination of ${props.handler.node.path}'s asynchronous invocations`);
    // grants the function's role sqs:SendMessage on the queue
    props.handler.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(this.queue),
      retryAttempts: props.retryAttempts ?? 2,
      maxEventAge: props.maxEventAge ?? Duration.hours(6),
    });
    this.alarm = queueDepthAlarm(this, 'Alarm', this.queue,
      `Asynchronous invocations of ${props.handler.node.path} failed after every retry; see ${props.runbook}.`, props.alarmActions);
  }
}

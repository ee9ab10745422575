// Wires a Lambda to a DynamoDB stream the way a consumer that must not lose or wedge on a record
// should be wired: partial batch responses (the handler names the records that failed), bisect on
// error, bounded retries and record age, and records that still fail go to an SQS queue whose
// depth raises an alarm. Also alarms on iterator age (the consumer falling behind the table).
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { failureQueue, queueDepthAlarm } from './failure-queue.js';
import { acknowledge } from './nag.js';

export interface StreamConsumerProps {
  /** a table with a stream */
  table: dynamodb.ITable;
  handler: lambda.Function;
  /** default 100 */
  batchSize?: number;
  /** default 1 s: changes reach the change log quickly, in batches when traffic is high */
  maxBatchingWindow?: Duration;
  /** default 5 (after bisecting, each half is retried too) */
  retryAttempts?: number;
  /** default 24 hours, the stream's own retention */
  maxRecordAge?: Duration;
  /** default 1: one batch per shard at a time keeps the order of changes to an item */
  parallelizationFactor?: number;
  /**
   * Event filter patterns (Lambda event filtering): only matching records invoke the handler; the
   * others are skipped without an invocation. Default: every record.
   */
  filters?: Record<string, unknown>[];
  /** iterator age above which the consumer is considered behind; default 5 minutes */
  maxIteratorAge?: Duration;
  alarmActions?: cloudwatch.IAlarmAction[];
}

export class StreamConsumer extends Construct {
  readonly mapping: lambda.EventSourceMapping;
  readonly failures: sqs.Queue;
  readonly failuresAlarm: cloudwatch.Alarm;
  readonly iteratorAgeAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error(`StreamConsumer ${this.node.path}: the table has no stream`);
    const role = props.handler.role;
    if (!role) throw new Error(`StreamConsumer ${this.node.path}: the handler has no role`);

    // Holds metadata of the records given up on (shard, sequence numbers), not the records:
    // a runbook re-reads them from the stream or the table.
    this.failures = failureQueue(this, 'Failures', 'the on-failure destination of the stream event source mapping');

    const policy = new iam.Policy(this, 'StreamRead', {
      statements: [
        new iam.PolicyStatement({
          actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          resources: [streamArn],
        }),
        new iam.PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
      ],
    });
    policy.attachToRole(role);
    acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]',
      'dynamodb:ListStreams supports no resource-level permission (Service Authorization Reference); every other stream action is scoped to this stream ARN.');

    this.mapping = new lambda.EventSourceMapping(this, 'Mapping', {
      target: props.handler,
      eventSourceArn: streamArn,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize ?? 100,
      maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(1),
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: props.retryAttempts ?? 5,
      maxRecordAge: props.maxRecordAge ?? Duration.hours(24),
      parallelizationFactor: props.parallelizationFactor ?? 1,
      ...(props.filters ? { filters: props.filters } : {}),
      // grants the handler's role sqs:SendMessage on the queue
      onFailure: new SqsDlq(this.failures),
    });
    // Lambda checks the role's access to the stream and the queue when the mapping is created.
    this.mapping.node.addDependency(policy);
    const defaultPolicy = role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy && Stack.of(defaultPolicy) === Stack.of(this)) this.mapping.node.addDependency(defaultPolicy);

    this.failuresAlarm = queueDepthAlarm(this, 'FailuresAlarm', this.failures,
      `Records of ${props.handler.node.path} failed after every retry; see the change-feed runbook.`);

    const maxIteratorAge = props.maxIteratorAge ?? Duration.minutes(5);
    this.iteratorAgeAlarm = new cloudwatch.Alarm(this, 'IteratorAgeAlarm', {
      alarmDescription: `${props.handler.node.path} is more than ${maxIteratorAge.toHumanString()} behind the table's stream.`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensionsMap: { FunctionName: props.handler.functionName },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
      threshold: maxIteratorAge.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const action of props.alarmActions ?? []) {
      this.failuresAlarm.addAlarmAction(action);
      this.iteratorAgeAlarm.addAlarmAction(action);
    }
  }
}

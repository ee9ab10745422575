// One dashboard and the alarms of the app. Lambdas are named explicitly (infra/constructs/
// app-function.ts), so this stack charts ~170 functions by name without ~170 cross-stack exports.
// The app's own metrics (EMF through Powertools) are charted by the names in
// shared/observability/metric-names.ts, the same constants the code emits.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { tableDefinition } from '../../shared/db/table-definition.js';
import { serviceTopicKey } from '../constructs/service-topic-key.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { metricDimensions } from '../../shared/observability/metric-dimensions.js';
import { importTable, type DataParameters } from './data-stack.js';

/**
 * What the upload verifier counts: objects it verified (READY), objects it rejected and deleted
 * (REJECTED), and objects nobody asked for that it deleted (a reused upload form's second version).
 */
export const uploadVerdictMetricNames = [metricNames.attachmentsVerified, metricNames.attachmentsRejected, metricNames.strayObjectsDeleted] as const;
/** What removes attachments afterwards: objects deleted with their records (change feed), PENDING uploads that never came (cleanup job). */
export const attachmentCleanupMetricNames = [metricNames.attachmentObjectsDeleted, metricNames.abandonedUploadsDeleted] as const;

/** A CloudWatch alarm built on metric math may reference at most 10 metrics. */
export const metricsPerAlarm = 10;
const period = Duration.minutes(5);

export interface MonitoredFunction {
  functionName: string;
  /** dashboard row and alarm group: the route's domain, or `background` */
  group: string;
  /** chart label: the operation id or the entry name */
  label: string;
}

export interface ObservabilityStackProps extends StackProps {
  api: apigwv2.IHttpApi;
  functions: readonly MonitoredFunction[];
  metricsNamespace: string;
  serviceName: string;
  dashboardName: string;
  /** the data stack's SSM parameters (weak references: see DataStack), for the table's metrics */
  dataParameters: DataParameters;
  /** subscribed to the alarm topic when given */
  alarmEmail?: string;
  /** 5xx answers as a percentage of requests over 5 minutes; default 1 */
  serverErrorRatePercent?: number;
}

function chunk<T>(list: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < list.length; start += size) chunks.push(list.slice(start, start + size));
  return chunks;
}

function lambdaMetric(functionName: string, metricName: string, statistic: string, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Lambda', metricName, dimensionsMap: { FunctionName: functionName }, statistic, period, label,
  });
}

export class ObservabilityStack extends Stack {
  readonly topic: sns.Topic;
  readonly alarmAction: cloudwatch.IAlarmAction;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);

    // Alarm notifications, encrypted with a key CloudWatch may use.
    const key = serviceTopicKey(this, 'AlarmTopicKey', 'Encrypts the alarm topic of Home Warehouse', 'cloudwatch.amazonaws.com');
    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'Home Warehouse alarms', masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.alarmAction = new actions.SnsAction(this.topic);

    const groups = new Map<string, MonitoredFunction[]>();
    for (const fn of props.functions) groups.set(fn.group, [...(groups.get(fn.group) ?? []), fn]);

    // --- alarms ---------------------------------------------------------------------------------
    const requests = props.api.metricCount({ period, statistic: cloudwatch.Stats.SUM });
    const serverErrors = props.api.metricServerError({ period, statistic: cloudwatch.Stats.SUM });
    const clientErrors = props.api.metricClientError({ period, statistic: cloudwatch.Stats.SUM });
    const latency = props.api.metricLatency({ period });
    const serverErrorRate = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      label: 'API 5xx rate (%)',
      period,
    });
    this.alarm('ApiServerErrorRate', {
      alarmDescription: `More than ${props.serverErrorRatePercent ?? 1}% of API requests answered 5xx over 5 minutes.`,
      metric: serverErrorRate,
      threshold: props.serverErrorRatePercent ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // Lambda errors and throttles, summed over groups of at most 10 functions (the metric math
    // limit of an alarm): one alarm per domain, or a few for a large one.
    for (const [group, functions] of groups) {
      chunk(functions, metricsPerAlarm).forEach((slice, index) => {
        const suffix = index === 0 ? group : `${group}${index + 1}`;
        for (const [metricName, what] of [['Errors', 'errors'], ['Throttles', 'throttles']] as const) {
          const usingMetrics = Object.fromEntries(slice.map((fn, i) => [`m${i}`, lambdaMetric(fn.functionName, metricName, cloudwatch.Stats.SUM)]));
          this.alarm(`Lambda${metricName}-${suffix}`, {
            alarmDescription: `Lambda ${what} in ${group}: ${slice.map((fn) => fn.label).join(', ')}`,
            metric: new cloudwatch.MathExpression({ expression: 'SUM(METRICS())', usingMetrics, label: `${what} (${suffix})`, period }),
            threshold: 0,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
          });
        }
      });
    }

    // The app's own ServerErrors metric (EMF; dimensions service + operation): a Metrics
    // Insights query sums it over every operation.
    const appServerErrors = new cloudwatch.MathExpression({
      expression: `SELECT SUM(${metricNames.serverErrors}) FROM "${props.metricsNamespace}" WHERE service = '${props.serviceName}'`,
      usingMetrics: {},
      label: metricNames.serverErrors,
      period,
    });
    this.alarm('AppServerErrors', {
      alarmDescription: `The handlers answered 5xx (${metricNames.serverErrors} in ${props.metricsNamespace}).`,
      metric: appServerErrors,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // DynamoDB throttles of the table and of each index (a throttled index also throttles the
    // table's writes). The SDK retries them, so a few are latency; any is a capacity signal.
    const table = importTable(this, props.dataParameters);
    const throttleMetrics: Record<string, cloudwatch.IMetric> = {};
    for (const [index, indexName] of [undefined, ...tableDefinition.globalSecondaryIndexes.map((gsi) => gsi.name)].entries()) {
      const dimensionsMap = { TableName: table.tableName, ...(indexName ? { GlobalSecondaryIndexName: indexName } : {}) };
      for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        throttleMetrics[`${metricName === 'ReadThrottleEvents' ? 'r' : 'w'}${index}`] = new cloudwatch.Metric({
          namespace: 'AWS/DynamoDB', metricName, dimensionsMap, statistic: cloudwatch.Stats.SUM, period, label: `${metricName} ${indexName ?? 'table'}`,
        });
      }
    }
    const throttles = new cloudwatch.MathExpression({
      expression: 'SUM(METRICS())', usingMetrics: throttleMetrics, label: 'DynamoDB throttle events (table and indexes)', period,
    });
    this.alarm('DynamoDbThrottles', {
      alarmDescription: 'DynamoDB throttled reads or writes of the table or an index over 5 minutes (SDK retries hide them from clients until they do not).',
      metric: throttles,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // --- dashboard ------------------------------------------------------------------------------
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    // The app's own metrics: every name of metric-names.ts, one line per dimension set
    // (per operation for the request outcomes), found by a search so new operations show up.
    const appMetric = (metricName: string) => new cloudwatch.MathExpression({
      expression: `SEARCH('Namespace="${props.metricsNamespace}" MetricName="${metricName}"', 'Sum', 300)`,
      usingMetrics: {},
      label: metricName,
      period,
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `# ${props.dashboardName}\nAPI, per-route Lambdas and the app's own metrics (${props.metricsNamespace}).`, width: 24, height: 2 }),
      new cloudwatch.GraphWidget({ title: 'API requests and errors', left: [requests, clientErrors, serverErrors], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'API latency (p50, p99)', left: [latency.with({ statistic: 'p50' }), latency.with({ statistic: 'p99' })], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'API 5xx rate (%)', left: [serverErrorRate], width: 8 }),
      ...Object.values(metricNames).map((metricName) => new cloudwatch.GraphWidget({
        title: `${metricName} (${props.metricsNamespace}, by ${metricDimensions.operation} where emitted)`,
        left: [appMetric(metricName)],
        width: 8,
      })),
    );
    // Attachments, side by side: the upload verifier's verdicts (a jump in rejections or stray
    // objects is a client bug or someone probing the upload forms), and what removes them later.
    // (Each name also has its own widget above.)
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Attachments: upload verifier verdicts (${uploadVerdictMetricNames.join(', ')}, sum)`,
        left: uploadVerdictMetricNames.map(appMetric),
        width: 12,
        height: 5,
      }),
      new cloudwatch.GraphWidget({
        title: `Attachments: removed (${attachmentCleanupMetricNames.join(', ')}, sum)`,
        left: attachmentCleanupMetricNames.map(appMetric),
        width: 12,
        height: 5,
      }),
    );
    // What each operation costs in DynamoDB and which are slow, summed per operation by Metrics
    // Insights (GROUP BY), so a new operation gets its line without a redeploy.
    const perOperation = (metricName: string) => new cloudwatch.MathExpression({
      expression: `SELECT SUM(${metricName}) FROM "${props.metricsNamespace}" WHERE service = '${props.serviceName}' GROUP BY ${metricDimensions.operation} ORDER BY SUM() DESC LIMIT 25`,
      usingMetrics: {},
      label: metricName,
      period,
    });
    this.dashboard.addWidgets(
      ...[metricNames.consumedReadCapacity, metricNames.consumedWriteCapacity, metricNames.slowDynamoDbCalls].map((metricName) => new cloudwatch.GraphWidget({
        title: `DynamoDB: ${metricName} per ${metricDimensions.operation} (sum)`,
        left: [perOperation(metricName)],
        width: 8,
        height: 6,
        legendPosition: cloudwatch.LegendPosition.RIGHT,
      })),
      new cloudwatch.GraphWidget({ title: 'DynamoDB throttle events (table and indexes)', left: Object.values(throttleMetrics), width: 24, height: 4 }),
    );
    for (const [group, functions] of groups) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${group}: duration p50 / p99 (ms)`,
          left: functions.flatMap((fn) => [
            lambdaMetric(fn.functionName, 'Duration', 'p50', `${fn.label} p50`),
            lambdaMetric(fn.functionName, 'Duration', 'p99', `${fn.label} p99`),
          ]),
          width: 12,
          height: 6,
          legendPosition: cloudwatch.LegendPosition.RIGHT,
        }),
        new cloudwatch.GraphWidget({
          title: `${group}: errors`,
          left: functions.map((fn) => lambdaMetric(fn.functionName, 'Errors', cloudwatch.Stats.SUM, fn.label)),
          width: 12,
          height: 6,
          legendPosition: cloudwatch.LegendPosition.RIGHT,
        }),
      );
    }
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
  }

  private alarm(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
    alarm.addAlarmAction(this.alarmAction);
    this.alarms.push(alarm);
    return alarm;
  }
}

// SES bounce and complaint events: the sending configuration set publishes them to an SNS topic
// (infra/stacks/jobs-stack.ts), whose subscription invokes this. A permanent bounce or a complaint
// marks the address undeliverable, and the lender of a bounced loan reminder is told once
// (rules: shared/domain/mail/feedback.ts). Idempotent: SNS may deliver a message twice, and every
// write is conditional. A failure throws, so SNS retries and then parks the message in the
// subscription's dead-letter queue (alarmed). Locally, infra/local/ses.ts publishes the same
// events for sends to SES's mailbox simulator (bounce@ / complaint@simulator.amazonses.com).
import type { SNSEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { markUndeliverable, tellLender, undeliverableFrom, type SesFeedbackEvent } from '../../shared/domain/mail/feedback.js';
import { instrumented } from '../../shared/observability/instrumented.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { logger, metrics } from '../../shared/observability/telemetry.js';

export interface FeedbackRun {
  /** SNS records read */
  records: number;
  /** addresses marked undeliverable now (not before) */
  marked: number;
  /** lenders told now */
  told: number;
  /** records that mark nothing (deliveries, transient bounces, what is not SES's) */
  ignored: number;
}

function parse(message: string): SesFeedbackEvent | undefined {
  try {
    const value: unknown = JSON.parse(message);
    return value !== null && typeof value === 'object' ? (value as SesFeedbackEvent) : undefined;
  } catch {
    return undefined;
  }
}

export const handler = instrumented(async (event: SNSEvent): Promise<FeedbackRun> => {
  const run: FeedbackRun = { records: event.Records.length, marked: 0, told: 0, ignored: 0 };
  const now = new Date();
  for (const record of event.Records) {
    const report = undeliverableFrom(parse(record.Sns.Message) ?? {});
    if (!report) {
      run.ignored += 1;
      continue;
    }
    metrics.addMetric(report.reason === 'bounce' ? metricNames.mailsBounced : metricNames.mailsComplained, MetricUnit.Count, 1);
    for (const address of report.addresses) {
      if (await markUndeliverable(address, report, now)) run.marked += 1;
      if (report.reminder && await tellLender(address, { ...report, reminder: report.reminder }, now)) run.told += 1;
      // an address appears in logs only as its domain: the mark itself holds it
      logger.info('address undeliverable', { reason: report.reason, detail: report.detail, domain: address.slice(address.lastIndexOf('@') + 1), messageId: report.messageId });
    }
  }
  if (run.marked > 0) metrics.addMetric(metricNames.addressesMarkedUndeliverable, MetricUnit.Count, run.marked);
  return run;
});

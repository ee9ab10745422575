// Sends the mails of the outbox (shared/domain/mail/outbox.ts) when they are written: claim,
// send through SES, record the outcome. A replay finds the mail claimed or sent and sends nothing.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { claimMail, maxMailAttempts, outboxEntity, settleMail, type OutboxMail } from '../../../shared/domain/mail/outbox.js';
import { sendMail } from '../../../shared/domain/mail/send.js';
import { metricNames } from '../../../shared/observability/metric-names.js';
import { logger, metrics } from '../../../shared/observability/telemetry.js';
import type { Projector } from '../../../shared/stream/projector.js';

export const mail: Projector = {
  name: 'mail',
  wants: (change) => change.operation === 'INSERT' && change.entity === outboxEntity && typeof change.newImage?.to === 'string',
  async project(change) {
    const outbox = change.newImage as unknown as OutboxMail;
    const attempt = await claimMail(outbox.id, new Date());
    if (attempt === undefined) return; // sent, failed, or in someone else's hands
    try {
      const messageId = await sendMail({ to: outbox.to!, subject: outbox.subject, text: outbox.text, html: outbox.html });
      await settleMail(outbox.id, { status: 'sent', ...(messageId ? { messageId } : {}) });
      metrics.addMetric(metricNames.mailsSent, MetricUnit.Count, 1);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const giveUp = attempt >= maxMailAttempts;
      logger.warn('mail not sent', { mailId: outbox.id, attempt, giveUp, error: error as Error });
      await settleMail(outbox.id, { status: giveUp ? 'failed' : 'pending', error: name });
      if (giveUp) metrics.addMetric(metricNames.mailsFailed, MetricUnit.Count, 1);
      else throw error; // the stream delivers the record again
    }
  },
};

// Sends the mails of the outbox (shared/domain/mail/outbox.ts) when they are written: claim,
// send through SES, record the outcome. A replay finds the mail claimed or sent and sends nothing.
// Loan reminders are outbox entries too (under their own keys): their sends and failures also
// count as RemindersSent / RemindersFailed. A stranded mail handed back (`redriven_at` changed,
// by the reminder job) is tried again the same way. A mail to an address SES has since reported
// undeliverable is not sent (status `undeliverable`); a reminder's mail carries SES tags naming its
// loan and lender, so a bounce can tell the lender (shared/domain/mail/feedback.ts).
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { reminderTags, undeliverableAmong } from '../../../shared/domain/mail/feedback.js';
import { claimMail, mailEntities, maxMailAttempts, settleMail, type OutboxMail } from '../../../shared/domain/mail/outbox.js';
import { sendMail } from '../../../shared/domain/mail/send.js';
import * as metricNames from '../../../shared/observability/metric-names.js';
import { logger, metrics } from '../../../shared/observability/telemetry.js';
import type { Change } from '../../../shared/stream/change.js';
import type { Projector } from '../../../shared/stream/projector.js';

const written = (change: Change) => change.operation === 'INSERT'
  || (change.operation === 'MODIFY' && change.newImage?.redriven_at !== undefined && change.newImage.redriven_at !== change.oldImage?.redriven_at);

export const mail: Projector = {
  name: 'mail',
  wants: (change) => mailEntities.includes(change.entity ?? '') && typeof change.newImage?.to === 'string' && written(change),
  async project(change) {
    const outbox = change.newImage as unknown as OutboxMail;
    const reminder = change.entity === 'LOAN_REMINDER';
    const attempt = await claimMail(change.keys, new Date());
    if (attempt === undefined) return; // sent, failed, or in someone else's hands
    // SES reported the address undeliverable since the mail was written: send nothing more to it
    if ((await undeliverableAmong([outbox.to!])).size > 0) {
      await settleMail(change.keys, { status: 'undeliverable' });
      metrics.addMetric(metricNames.mailsSuppressed, MetricUnit.Count, 1);
      return;
    }
    try {
      const messageId = await sendMail({ to: outbox.to!, subject: outbox.subject, text: outbox.text, html: outbox.html, ...(reminder ? { tags: reminderTags(change.newImage!) } : {}) });
      await settleMail(change.keys, { status: 'sent', ...(messageId ? { messageId } : {}) });
      metrics.addMetric(metricNames.mailsSent, MetricUnit.Count, 1);
      if (reminder) metrics.addMetric(metricNames.remindersSent, MetricUnit.Count, 1);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const giveUp = attempt >= maxMailAttempts;
      logger.warn('mail not sent', { mailId: outbox.id, attempt, giveUp, error: error as Error });
      await settleMail(change.keys, { status: giveUp ? 'failed' : 'pending', error: name });
      if (giveUp) {
        metrics.addMetric(metricNames.mailsFailed, MetricUnit.Count, 1);
        if (reminder) metrics.addMetric(metricNames.remindersFailed, MetricUnit.Count, 1);
      } else throw error; // the stream delivers the record again
    }
  },
};

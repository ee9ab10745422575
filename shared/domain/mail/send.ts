// Outgoing mail through SES (aws-ses-v2-local on a laptop). Only the change feed's mail projector
// sends (from the outbox), so no request waits on SES and no route needs the permission. Sends go
// through the configured configuration set, which publishes bounces and complaints, with the
// mail's tags, to the mail-feedback handler.
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { config } from '../../config.js';
import { ses } from '../../aws/ses.js';
import type { MailContent } from './templates.js';

/** Sends one mail; answers SES's message id. */
export async function sendMail(mail: MailContent): Promise<string | undefined> {
  const result = await ses.send(new SendEmailCommand({
    Source: config.mailFrom,
    ...(config.mailConfigurationSet ? { ConfigurationSetName: config.mailConfigurationSet } : {}),
    ...(mail.tags ? { Tags: Object.entries(mail.tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
    Destination: { ToAddresses: [mail.to] },
    Message: {
      Subject: { Data: mail.subject, Charset: 'UTF-8' },
      Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
    },
  }));
  return result.MessageId;
}

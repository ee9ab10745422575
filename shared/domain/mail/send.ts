// Outgoing mail through SES (aws-ses-v2-local on a laptop). Plain text and a simple HTML part.
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { config } from '../../config.js';
import { ses } from '../../aws/ses.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one mail; answers SES's message id. */
export async function sendMail(mail: Mail): Promise<string | undefined> {
  const result = await ses.send(new SendEmailCommand({
    Source: config.mailFrom,
    Destination: { ToAddresses: [mail.to] },
    Message: {
      Subject: { Data: mail.subject, Charset: 'UTF-8' },
      Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
    },
  }));
  return result.MessageId;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);

export function passwordResetMail(to: string, fullName: string, link: string): Mail {
  return {
    to,
    subject: 'Reset your Home Warehouse password',
    text: `Hello ${fullName},\n\nSomeone (hopefully you) asked to reset the password of your Home Warehouse account.\n` +
      `Open this link within one hour to choose a new one:\n\n${link}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
    html: `<p>Hello ${escapeHtml(fullName)},</p><p>Someone (hopefully you) asked to reset the password of your Home Warehouse account. ` +
      `Open this link within one hour to choose a new one:</p><p><a href="${escapeHtml(link)}">Choose a new password</a></p>` +
      `<p>If it was not you, ignore this mail: your password stays as it is.</p>`,
  };
}

// The mails the product sends, as data: subject, a plain-text part and a simple HTML part.
// Every user-given value is escaped in the HTML part.
export interface MailContent {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** SES message tags: they come back in the bounce and complaint events of this mail (shared/domain/mail/feedback.ts) */
  tags?: Record<string, string>;
}

export const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);

export function passwordResetMail(to: string, fullName: string, link: string): MailContent {
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

/** The decoy written when a reset is asked for an unknown email: same shape, nobody to send to. */
export const unaddressedMail: Omit<MailContent, 'to'> = { subject: '', text: '', html: '' };

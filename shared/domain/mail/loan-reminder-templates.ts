// The loan reminder mails (and the lender's in-app notification), as templates per language: the
// words of each language are one `Phrases` object, the layout (a plain-text part and an HTML part
// with the same facts) is shared. English only for now; another language is one more entry of
// `phrasesByLanguage` (keyed like a user's `language` preference). Every value a person typed
// (names of the item, borrower, lender, workspace) is escaped in the HTML part.
import { escapeHtml, type MailContent } from './templates.js';

export type ReminderKind = 'DUE_SOON' | 'OVERDUE';
/** what became of the borrower's mail: sent, no address, or an address SES reported undeliverable */
export type Mailing = 'mailed' | 'no_email' | 'undeliverable';

/** What a reminder says; dates are calendar days (`YYYY-MM-DD`, UTC). */
export interface ReminderFacts {
  kind: ReminderKind;
  borrowerName: string;
  lenderName: string;
  itemName: string;
  quantity: number;
  dueDate: string;
  /** the day the reminder is for (the job's day) */
  day: string;
  /** when the loan was made (RFC 3339) */
  loanedAt: string;
  workspaceName: string;
  /** the borrower's page of this loan (a signed link, shared/domain/loans/borrower-links.ts), where they can say it is back or ask for time */
  link?: string;
}

interface Phrases {
  /** BCP 47 language tag of the HTML part */
  locale: string;
  /** a calendar day as the mail shows it (a UTC midnight) */
  date(day: Date): string;
  /** "2 × Folding chair" */
  what(itemName: string, quantity: number): string;
  /** the subject says who lent what */
  subject: Record<ReminderKind, (facts: ReminderFacts, due: string, daysLeft: number) => string>;
  greeting(name: string): string;
  /** the paragraphs of the body, before the facts */
  body: Record<ReminderKind, (facts: ReminderFacts, due: string, loaned: string, daysLeft: number) => string[]>;
  /** labels of the facts block */
  facts: { item: string; quantity: string; due: string; workspace: string; lender: string };
  /** the paragraph before the borrower's link, and the link's words in the HTML part */
  link: { lead(lenderName: string): string; label: string };
  closing(lenderName: string): string[];
  notification: Record<ReminderKind, (facts: ReminderFacts, due: string, daysLeft: number, mailing: Mailing) => { title: string; message: string }>;
  /** the notification's last sentence: whether the borrower was mailed, and if not, why */
  mailing: Record<Mailing, (facts: ReminderFacts) => string>;
}

const days = (count: number) => (count === 1 ? '1 day' : `${count} days`);

const name = (locale: string, day: Date, part: 'weekday' | 'month') => new Intl.DateTimeFormat(locale, { [part]: 'long', timeZone: 'UTC' }).format(day);

const en: Phrases = {
  locale: 'en',
  // "Thursday 24 December 2026": assembled, so it reads the same whatever ICU data the runtime has
  date: (day) => `${name('en', day, 'weekday')} ${day.getUTCDate()} ${name('en', day, 'month')} ${day.getUTCFullYear()}`,
  what: (itemName, quantity) => (quantity === 1 ? itemName : `${quantity} × ${itemName}`),
  subject: {
    DUE_SOON: (facts, due, daysLeft) =>
      `${facts.lenderName} lent you ${en.what(facts.itemName, facts.quantity)}: please return it ${daysLeft === 0 ? 'today' : daysLeft === 1 ? 'by tomorrow' : `by ${due}`}`,
    OVERDUE: (facts, due) => `${facts.lenderName} lent you ${en.what(facts.itemName, facts.quantity)}: it was due back on ${due}`,
  },
  greeting: (name) => `Hello ${name},`,
  body: {
    DUE_SOON: (facts, due, loaned, daysLeft) => [
      `${facts.lenderName} lent you ${en.what(facts.itemName, facts.quantity)} from "${facts.workspaceName}" on ${loaned}. ` +
        `It is due back ${daysLeft === 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${days(daysLeft)}`}, on ${due}.`,
      `Please bring it back by then, or ask ${facts.lenderName} for more time.`,
    ],
    OVERDUE: (facts, due, loaned, daysLeft) => [
      `${facts.lenderName} lent you ${en.what(facts.itemName, facts.quantity)} from "${facts.workspaceName}" on ${loaned}. ` +
        `It was due back on ${due}, ${days(-daysLeft)} ago.`,
      `Please bring it back as soon as you can, or tell ${facts.lenderName} when you will.`,
    ],
  },
  facts: { item: 'Item', quantity: 'Quantity', due: 'Due back', workspace: 'Workspace', lender: 'Lent by' },
  mailing: {
    mailed: () => 'We mailed them a reminder.',
    no_email: () => 'They have no email address, so no reminder was mailed.',
    undeliverable: (facts) => `Mail to their address does not arrive (SES reported it undeliverable), so no reminder was mailed; ask ${facts.borrowerName} for another address.`,
  },
  link: {
    lead: (lenderName) => `Already brought it back, or need more time? Tell ${lenderName} on this page (no sign-in needed):`,
    label: 'Returned it, or need more time?',
  },
  closing: (lenderName) => ['Thank you!', `Home Warehouse, on behalf of ${lenderName}`],
  notification: {
    DUE_SOON: (facts, due, daysLeft, mailing) => ({
      title: `Due ${daysLeft === 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${days(daysLeft)}`}: ${facts.itemName}`,
      message: `${facts.borrowerName} has ${en.what(facts.itemName, facts.quantity)} until ${due}. ` +
        en.mailing[mailing](facts),
    }),
    OVERDUE: (facts, due, daysLeft, mailing) => ({
      title: `Overdue: ${facts.itemName}`,
      message: `${facts.borrowerName} still has ${en.what(facts.itemName, facts.quantity)}, due back on ${due} (${days(-daysLeft)} ago). ` +
        en.mailing[mailing](facts),
    }),
  },
};

/** The languages reminders are written in, by a user's `language` preference. */
export const phrasesByLanguage: Readonly<Record<string, Phrases>> = { en };

const phrasesFor = (language: string | undefined) => phrasesByLanguage[language ?? 'en'] ?? en;

const dayMs = 86_400_000;
/** Whole days from `day` to `dueDate` (negative once it is past). */
export const daysUntil = (day: string, dueDate: string) => Math.round((Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / dayMs);

const longDate = (words: Phrases, date: string) => words.date(new Date(`${date.slice(0, 10)}T00:00:00Z`));

/** The reminder mail to the borrower: subject, plain text and HTML with the same content. */
export function loanReminderMail(to: string, language: string | undefined, facts: ReminderFacts): MailContent {
  const words = phrasesFor(language);
  const due = longDate(words, facts.dueDate);
  const loaned = longDate(words, facts.loanedAt);
  const left = daysUntil(facts.day, facts.dueDate);
  const paragraphs = words.body[facts.kind](facts, due, loaned, left);
  const rows: [string, string][] = [
    [words.facts.item, facts.itemName],
    [words.facts.quantity, String(facts.quantity)],
    [words.facts.due, due],
    [words.facts.workspace, facts.workspaceName],
    [words.facts.lender, facts.lenderName],
  ];
  const closing = words.closing(facts.lenderName);
  const lead = words.link.lead(facts.lenderName);
  const text = [
    words.greeting(facts.borrowerName), '',
    ...paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...rows.map(([label, value]) => `${label}: ${value}`), '',
    ...(facts.link ? [lead, facts.link, ''] : []),
    ...closing, '',
  ].join('\n');
  const html = `<!doctype html><html lang="${escapeHtml(words.locale)}"><body>` +
    `<p>${escapeHtml(words.greeting(facts.borrowerName))}</p>` +
    paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('') +
    `<table role="presentation">${rows.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>` +
    (facts.link ? `<p>${escapeHtml(lead)}<br><a href="${escapeHtml(facts.link)}">${escapeHtml(words.link.label)}</a></p>` : '') +
    `<p>${closing.map(escapeHtml).join('<br>')}</p></body></html>`;
  return { to, subject: words.subject[facts.kind](facts, due, left), text, html };
}

/** The lender's in-app notification of the same reminder. */
export function loanReminderNotification(language: string | undefined, facts: ReminderFacts, mailing: Mailing): { title: string; message: string } {
  const words = phrasesFor(language);
  return words.notification[facts.kind](facts, longDate(words, facts.dueDate), daysUntil(facts.day, facts.dueDate), mailing);
}

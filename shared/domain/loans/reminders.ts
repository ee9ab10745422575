// The rules of loan reminders (the reminder job, functions/jobs/loan-reminders.ts), without AWS:
// which due days a run reads, which reminder a loan gets on a day, and the reminder record.
//
// - "Due soon": a loan due within `dueSoonDays` (today included) gets one reminder per due date,
//   from the first run that sees it in that window. A loan extended to a new date gets one more.
// - "Overdue": on the first overdue day (due date + 1), then every 7 days (due + 8, + 15, …), at
//   most `overdueLimit` of them (13 by default: the last one 85 days after the due date).
// So a run on `day` reads the due days day … day + dueSoonDays, and day − 1 − 7k for
// k < overdueLimit: one Query each on the sparse due-day index, never all loans.
//
// A reminder is recorded under a key made of the loan, the kind, the due date and (overdue) the
// day, by a conditional put, before anything is sent: the record is also the mail's outbox entry
// (shared/domain/mail/outbox.ts), so the reminder and its mail are one write, and the mail
// projector records the send's outcome on it (sent, or failed after 3 attempts).
import * as keys from '../../db/keys.js';
import { ttlAt } from '../../db/keys.js';
import type { MailContent } from '../mail/templates.js';
import { daysUntil, type ReminderFacts, type ReminderKind } from '../mail/loan-reminder-templates.js';

export type { ReminderKind } from '../mail/loan-reminder-templates.js';

export const overdueEveryDays = 7;
/** Records stay this long after their day (DynamoDB's TTL; readers never depend on it). */
const keepDays = 90;

export interface ReminderSettings {
  dueSoonDays: number;
  overdueLimit: number;
}

const dayMs = 86_400_000;
/** The calendar day `count` days after `day` (before, when negative). */
export const addDays = (day: string, count: number) => new Date(Date.parse(`${day}T00:00:00Z`) + count * dayMs).toISOString().slice(0, 10);

/** A calendar day (`YYYY-MM-DD`) that exists. */
export const isCalendarDay = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && addDays(text, 0) === text;

/** The due days a run on `day` reads, each with the reminder a loan due then gets. */
export function dueDaysToRead(day: string, settings: ReminderSettings): { dueDate: string; kind: ReminderKind }[] {
  const soon = Array.from({ length: settings.dueSoonDays + 1 }, (_, ahead) => ({ dueDate: addDays(day, ahead), kind: 'DUE_SOON' as const }));
  const overdue = Array.from({ length: settings.overdueLimit }, (_, week) => ({ dueDate: addDays(day, -1 - week * overdueEveryDays), kind: 'OVERDUE' as const }));
  return [...soon, ...overdue];
}

/** The reminder an open loan due on `dueDate` gets on `day`, if any (the rules above, from the loan itself). */
export function reminderKindOn(day: string, dueDate: string, settings: ReminderSettings): ReminderKind | undefined {
  const left = daysUntil(day, dueDate);
  if (left >= 0) return left <= settings.dueSoonDays ? 'DUE_SOON' : undefined;
  const late = -left - 1;
  return late % overdueEveryDays === 0 && late / overdueEveryDays < settings.overdueLimit ? 'OVERDUE' : undefined;
}

/** The record's key: one per loan and due date for "due soon", one per loan, due date and day for "overdue". */
export const reminderKey = (workspaceId: string, loanId: string, kind: ReminderKind, dueDate: string, day: string) =>
  keys.loanReminder(workspaceId, loanId, kind, dueDate, kind === 'OVERDUE' ? day : undefined);

export const reminderEntity = 'LOAN_REMINDER';

export interface ReminderRecordInput {
  workspaceId: string;
  loanId: string;
  borrowerId: string;
  lenderId: string;
  facts: ReminderFacts;
  /** the mail to the borrower; absent when they have no email address or it is undeliverable */
  mail?: MailContent;
  /** why there is no mail (default: no email address) */
  skipReason?: 'no_email' | 'undeliverable';
  /** the lender's notification written with it, when they are still a member */
  notificationId?: string;
  now: Date;
}

/**
 * The stored reminder: what it is about, and (when mailed) the outbox fields the mail projector
 * sends from (`to`, `subject`, `text`, `html`, `status` pending → sending → sent/failed,
 * `attempts`). Without an email address, or with one SES reported undeliverable, it is recorded
 * `skipped` (with its `skip_reason`) and nothing is sent.
 */
export function reminderRecord(input: ReminderRecordInput) {
  const { facts } = input;
  const key = reminderKey(input.workspaceId, input.loanId, facts.kind, facts.dueDate, facts.day);
  return {
    ...key,
    entity: reminderEntity,
    id: key.SK,
    kind: facts.kind,
    workspace_id: input.workspaceId,
    loan_id: input.loanId,
    borrower_id: input.borrowerId,
    lender_id: input.lenderId,
    due_date: facts.dueDate,
    day: facts.day,
    ...(input.mail
      ? { status: 'pending', attempts: 0, to: input.mail.to, subject: input.mail.subject, text: input.mail.text, html: input.mail.html }
      : { status: 'skipped', skip_reason: input.skipReason ?? 'no_email' }),
    ...(input.notificationId ? { notification_id: input.notificationId } : {}),
    created_at: input.now.toISOString(),
    ttl: ttlAt(new Date(Date.parse(`${facts.day}T00:00:00Z`) + keepDays * dayMs)),
  };
}

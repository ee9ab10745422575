// Loan reminders (issue 9), daily: loans due soon get one reminder per due date, overdue loans one
// on the first overdue day and then every 7 days (rules: shared/domain/loans/reminders.ts). The
// borrower is mailed when they have an email address; the member who lent it gets a LOAN_DUE_SOON
// or LOAN_OVERDUE notification. The job reads only what is due (one Query per due day it looks at
// on the sparse due-day index) and never sends itself: each reminder is recorded by a conditional
// put that is also the mail's outbox entry, and the change feed's mail projector sends it (claim,
// SES, outcome recorded on the reminder; 3 attempts). A rerun, a retry or a concurrent run finds
// the records and writes nothing; a mail a run finds stranded (unsent past its lease) is handed
// back to the projector. The day is the scheduled time's (UTC), so a retried invocation works on
// the same day; `npm run job loan-reminders -- --date YYYY-MM-DD` runs it as if on that day.
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loanReminderSettings } from '../../shared/config.js';
import { newId } from '../../shared/domain/ids.js';
import { borrowerLinkFor } from '../../shared/domain/loans/borrower-links.js';
import { isStranded, redriveMail } from '../../shared/domain/mail/outbox.js';
import { loanReminderMail, loanReminderNotification, type Mailing, type ReminderFacts } from '../../shared/domain/mail/loan-reminder-templates.js';
import type { NotificationRecord } from '../../shared/domain/notifications/model.js';
import { dueDaysToRead, isCalendarDay, reminderKey, reminderKindOn, reminderRecord, type ReminderKind } from '../../shared/domain/loans/reminders.js';
import { openLoansDueOn, recordReminder, reminderContext, type DueLoan, type ReminderContext } from '../../shared/domain/loans/reminders-repository.js';
import { instrumented } from '../../shared/observability/instrumented.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { logger, metrics } from '../../shared/observability/telemetry.js';

/** What the scheduler sends (EventBridge Scheduler's input, infra/stacks/jobs-stack.ts; the local scheduler's envelope). */
export interface ReminderEvent {
  /** the scheduled time (RFC 3339); its UTC day is the run's day */
  time?: string;
}

export interface ReminderRun {
  day: string;
  /** due days read (one Query each) */
  daysRead: number;
  /** open loans found due on them (each with a reminder for this day) */
  loans: number;
  /** reminders recorded now, mailed (handed to the outbox) or skipped (no email, or undeliverable) */
  mailed: number;
  skipped: number;
  /** of the skipped: the borrower's address is marked undeliverable (SES bounce or complaint) */
  undeliverable: number;
  /** found recorded by an earlier or concurrent run */
  existing: number;
  /** stranded mails handed back to the mail projector */
  redriven: number;
  /** loans returned, extended or in a workspace being deleted since the index was read */
  stale: number;
  /** loans that could not be reminded (logged) */
  failed: number;
}

/** The run's day: the scheduled time's UTC day, or today's. */
export function runDay(event: ReminderEvent | undefined, now = new Date()): string {
  const time = typeof event?.time === 'string' ? event.time : undefined;
  const day = time && !Number.isNaN(Date.parse(time)) ? new Date(time).toISOString().slice(0, 10) : now.toISOString().slice(0, 10);
  if (!isCalendarDay(day)) throw new Error(`loan reminders: no calendar day in ${JSON.stringify(time)}`);
  return day;
}

const parallel = 8;
/** Stop taking new loans this long before the function's timeout: the async retry carries on (records make it idempotent). */
const reserveMs = 15_000;

/** A mail found stranded is handed back to the mail projector. */
async function handBack(key: { PK: string; SK: string }, stored: Record<string, unknown>, run: ReminderRun, now: Date): Promise<void> {
  if (!isStranded(stored, now)) return;
  if (await redriveMail(key, stored as { status: string }, now)) {
    run.redriven += 1;
    logger.warn('stranded reminder mail handed back', { reminder: key.SK, status: stored.status });
  }
}

async function remind(loan: DueLoan, kind: ReminderKind, day: string, context: ReminderContext, run: ReminderRun, now: Date): Promise<void> {
  const key = reminderKey(loan.workspace_id, loan.id, kind, loan.due_date, day);
  const stored = context.stored(key);
  if (stored) {
    // recorded by an earlier run (a day before, in the "due soon" window) or a rerun
    run.existing += 1;
    await handBack(key, stored, run, now);
    return;
  }
  const workspace = context.workspace(loan);
  const borrower = context.borrower(loan);
  if (!workspace?.active || !borrower) {
    run.stale += 1;
    return;
  }
  const lender = context.lender(loan);
  const facts: ReminderFacts = {
    kind, day, dueDate: loan.due_date, loanedAt: loan.loaned_at, quantity: Number(loan.quantity),
    borrowerName: borrower.name, lenderName: lender?.name || workspace.name, itemName: context.itemName(loan) ?? '(an item)', workspaceName: workspace.name,
  };
  const mailing: Mailing = !borrower.email ? 'no_email' : context.undeliverable(borrower.email) ? 'undeliverable' : 'mailed';
  // the borrower's page of this loan, signed (expires 30 days after the due date)
  const mail = mailing === 'mailed' ? loanReminderMail(borrower.email!, lender?.language, { ...facts, link: await borrowerLinkFor(loan) }) : undefined;
  let notification: NotificationRecord | undefined;
  if (context.lenderIsMember(loan)) {
    const { title, message } = loanReminderNotification(lender?.language, facts, mailing);
    notification = {
      id: newId(), user_id: loan.created_by, workspace_id: loan.workspace_id,
      notification_type: kind === 'DUE_SOON' ? 'LOAN_DUE_SOON' : 'LOAN_OVERDUE', title, message, is_read: false,
      metadata: {
        loan_id: loan.id, inventory_id: loan.inventory_id, item_id: loan.item_id, borrower_id: loan.borrower_id,
        due_date: loan.due_date, mailed: mail !== undefined, ...(mailing === 'undeliverable' ? { undeliverable: true } : {}),
      },
      created_at: now.toISOString(),
    };
  }
  const record = reminderRecord({
    workspaceId: loan.workspace_id, loanId: loan.id, borrowerId: loan.borrower_id, lenderId: loan.created_by, facts,
    ...(mail ? { mail } : { skipReason: mailing === 'undeliverable' ? 'undeliverable' : 'no_email' }), ...(notification ? { notificationId: notification.id } : {}), now,
  });
  const result = await recordReminder(record, notification);
  if (result.outcome === 'stale') run.stale += 1;
  else if (result.outcome === 'exists') {
    // recorded meanwhile by a concurrent run
    run.existing += 1;
    if (result.existing) await handBack(key, result.existing, run, now);
  } else if (mail) run.mailed += 1;
  else {
    run.skipped += 1;
    if (mailing === 'undeliverable') run.undeliverable += 1;
  }
}

export const handler = instrumented(async (event: ReminderEvent | undefined, context: Context): Promise<ReminderRun> => {
  const now = new Date();
  const day = runDay(event, now);
  const wanted = dueDaysToRead(day, loanReminderSettings());
  const found = await Promise.all(wanted.map(({ dueDate }) => openLoansDueOn(dueDate)));
  const due = found.flat().flatMap((loan) => {
    const kind = reminderKindOn(day, loan.due_date, loanReminderSettings());
    return kind ? [{ loan, kind }] : [];
  });
  const run: ReminderRun = { day, daysRead: wanted.length, loans: due.length, mailed: 0, skipped: 0, undeliverable: 0, existing: 0, redriven: 0, stale: 0, failed: 0 };
  const names = due.length > 0
    ? await reminderContext(due.map(({ loan }) => loan), due.map(({ loan, kind }) => reminderKey(loan.workspace_id, loan.id, kind, loan.due_date, day)))
    : undefined;

  let next = 0;
  let outOfTime = false;
  const worker = async () => {
    while (next < due.length) {
      if (context.getRemainingTimeInMillis() < reserveMs) {
        outOfTime = true;
        return;
      }
      const { loan, kind } = due[next++]!;
      try {
        await remind(loan, kind, day, names!, run, now);
      } catch (error) {
        run.failed += 1;
        logger.error('loan reminder not recorded', { loanId: loan.id, workspaceId: loan.workspace_id, dueDate: loan.due_date, error: error as Error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, due.length) }, worker));

  metrics.addMetric(metricNames.remindersRecorded, MetricUnit.Count, run.mailed + run.skipped);
  metrics.addMetric(metricNames.remindersSkipped, MetricUnit.Count, run.skipped);
  metrics.addMetric(metricNames.remindersUndeliverable, MetricUnit.Count, run.undeliverable);
  if (run.failed > 0) metrics.addMetric(metricNames.remindersFailed, MetricUnit.Count, run.failed);
  logger.info('loan reminders', { ...run });
  // Failing the invocation has Lambda run it again (the job's async retry, same event, same day):
  // what was recorded is skipped, what was not is tried again. Past that, the failure queue alarms.
  if (outOfTime) throw new Error(`loan reminders for ${day}: time ran out after ${next} of ${due.length} loans; the retry carries on`);
  if (run.failed > 0) throw new Error(`loan reminders for ${day}: ${run.failed} of ${due.length} loans could not be reminded (logged); the retry tries them again`);
  return run;
});

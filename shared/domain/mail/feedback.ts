// What SES tells us after a send: bounces and complaints, published by the sending configuration set
// to SNS (infra/stacks/jobs-stack.ts), read by functions/sns/mail-feedback.ts. The rule:
// - a permanent bounce or a complaint marks the address undeliverable (one item per address,
//   put only if absent): the reminder job and the mail projector send nothing more to it, so one
//   bad address cannot keep hurting the sender's reputation. A transient bounce (mailbox full, an
//   auto-reply) marks nothing; SES itself retries those.
// - when the mail was a loan reminder (its SES tags name the workspace, loan, borrower and lender),
//   the lender gets one MAIL_UNDELIVERABLE notification per address: a marker item put only if
//   absent, in the notification's own transaction, so a repeated event tells nobody twice. A
//   lender who left the workspace is not told.
// A mark stays until someone removes it by hand (runbooks/mail.md, once the address works again);
// a borrower given a new address is mailed at the new one at once.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { batchGet, cancellationReasons, isConditionFailure, putIfAbsent, readItem, tableName, transactWrite } from '../../db/table.js';
import { newId } from '../ids.js';
import { notificationWrites } from '../notifications/repository.js';

/** The SES tags a loan reminder's mail carries (SES allows letters, digits, `_`, `-` and `.` in values: ids fit). */
// a type, not an interface, so it is assignable to the Record<string, string> of MailContent's tags
export type ReminderTags = {
  kind: 'loan-reminder';
  workspace_id: string;
  loan_id: string;
  borrower_id: string;
  lender_id: string;
};

/** The part of an SES event notification (configuration set → SNS) this reads; SES's identity notifications name the type `notificationType`. */
export interface SesFeedbackEvent {
  eventType?: string;
  notificationType?: string;
  bounce?: { bounceType?: string; bounceSubType?: string; bouncedRecipients?: { emailAddress?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[]; complaintFeedbackType?: string };
  mail?: { messageId?: string; timestamp?: string; tags?: Record<string, string[] | undefined> };
}

export interface Undeliverable {
  reason: 'bounce' | 'complaint';
  /** SES's bounce type and subtype, or the complaint's feedback type */
  detail: string;
  addresses: string[];
  messageId?: string;
  /** the loan reminder the mail was, from its tags */
  reminder?: ReminderTags;
}

/** The tags of a loan reminder's mail, from the stored reminder (shared/domain/loans/reminders.ts). */
export function reminderTags(reminder: Record<string, unknown>): ReminderTags {
  return {
    kind: 'loan-reminder', workspace_id: String(reminder.workspace_id), loan_id: String(reminder.loan_id),
    borrower_id: String(reminder.borrower_id), lender_id: String(reminder.lender_id),
  };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function reminderOf(tags: Record<string, string[] | undefined> | undefined): ReminderTags | undefined {
  const tag = (name: string) => tags?.[name]?.[0];
  const ids = { workspace_id: tag('workspace_id'), loan_id: tag('loan_id'), borrower_id: tag('borrower_id'), lender_id: tag('lender_id') };
  if (tag('kind') !== 'loan-reminder' || !Object.values(ids).every((id) => id !== undefined && uuid.test(id))) return undefined;
  return { kind: 'loan-reminder', ...(ids as Omit<ReminderTags, 'kind'>) };
}

/** What an SES event means for our addresses: undefined for what marks nothing (a delivery, a transient bounce). */
export function undeliverableFrom(event: SesFeedbackEvent): Undeliverable | undefined {
  const type = event.eventType ?? event.notificationType;
  const reminder = reminderOf(event.mail?.tags);
  const common = {
    ...(event.mail?.messageId ? { messageId: event.mail.messageId } : {}),
    ...(reminder ? { reminder } : {}),
  };
  const addressesOf = (list: { emailAddress?: string }[] | undefined) =>
    [...new Set((list ?? []).flatMap(({ emailAddress }) => (typeof emailAddress === 'string' && emailAddress.includes('@') ? [emailAddress.toLowerCase()] : [])))];
  if (type === 'Bounce' && event.bounce?.bounceType === 'Permanent') {
    const addresses = addressesOf(event.bounce.bouncedRecipients);
    return addresses.length ? { reason: 'bounce', detail: `Permanent/${event.bounce.bounceSubType ?? 'General'}`, addresses, ...common } : undefined;
  }
  if (type === 'Complaint') {
    const addresses = addressesOf(event.complaint?.complainedRecipients);
    return addresses.length ? { reason: 'complaint', detail: event.complaint?.complaintFeedbackType ?? 'abuse', addresses, ...common } : undefined;
  }
  return undefined;
}

/** Marks an address undeliverable; answers whether this was the first report of it. */
export async function markUndeliverable(address: string, report: Undeliverable, now: Date): Promise<boolean> {
  try {
    await documents.send(new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.undeliverableAddress(address), entity: 'UNDELIVERABLE_ADDRESS', email: address.toLowerCase(),
        reason: report.reason, detail: report.detail, first_at: now.toISOString(), ...(report.messageId ? { message_id: report.messageId } : {}),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Tells the lender of the reminder (once per address and lender) that mail to their borrower's
 * address does not arrive. Answers whether they were told now.
 */
export async function tellLender(address: string, report: Undeliverable & { reminder: ReminderTags }, now: Date): Promise<boolean> {
  const { workspace_id: workspaceId, lender_id: lenderId, borrower_id: borrowerId, loan_id: loanId } = report.reminder;
  const borrower = await readItem(keys.entity(workspaceId, 'BORROWER', borrowerId));
  const name = typeof borrower?.name === 'string' && borrower.name.trim() ? borrower.name : 'A borrower';
  const why = report.reason === 'complaint' ? 'marked a reminder as spam' : 'cannot receive mail (it bounced)';
  try {
    await transactWrite([
      putIfAbsent({ ...keys.undeliverableToldLender(address, workspaceId, lenderId), entity: 'UNDELIVERABLE_TOLD', told_at: now.toISOString() }),
      { ConditionCheck: { TableName: tableName, Key: keys.member(workspaceId, lenderId), ConditionExpression: 'attribute_exists(PK)' } },
      ...notificationWrites({
        id: newId(), user_id: lenderId, workspace_id: workspaceId, notification_type: 'MAIL_UNDELIVERABLE',
        title: `Reminders to ${name} are not mailed any more`,
        message: `${name}'s address ${address} ${why}, so loan reminders are no longer mailed to it. Ask them for another address and change it on the borrower.`,
        is_read: false, created_at: now.toISOString(),
        metadata: { borrower_id: borrowerId, loan_id: loanId, email: address, reason: report.reason },
      }),
    ]);
    return true;
  } catch (error) {
    const reasons = cancellationReasons(error);
    // told before, or no longer a member: nothing to do
    if (reasons?.[0] === 'ConditionalCheckFailed' || reasons?.[1] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** Which of `addresses` are marked undeliverable (one BatchGetItem; lower-cased answers). */
export async function undeliverableAmong(addresses: readonly string[]): Promise<Set<string>> {
  const distinct = [...new Set(addresses.map((address) => address.toLowerCase()))];
  if (distinct.length === 0) return new Set();
  const found = await batchGet<{ email: string }>(distinct.map((address) => keys.undeliverableAddress(address)));
  return new Set(found.map((item) => item.email));
}

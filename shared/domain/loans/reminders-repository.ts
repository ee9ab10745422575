// The reminder job's reads and writes (rules in ./reminders.ts):
// - the open loans due on one day: one Query of the sparse due-day index (GSI4 `LOANS#DUE#{day}`),
//   which holds only open, dated loans, across every workspace;
// - what the mails and notifications name (items, borrowers, workspaces, lenders and whether they
//   are still members) and the reminders already recorded: one BatchGetItem of the distinct keys of
//   the run, so a loan seen again (every day of its "due soon" window, a rerun) costs a read, not a
//   cancelled transaction; then one of the borrowers' distinct addresses, for the undeliverable marks;
// - each reminder: one TransactWriteItems that puts the record only if it is absent, checks that
//   the loan is still open with that due date and that its workspace is active, and writes the
//   lender's notification with its unread counter. A second run, a retry or a concurrent run finds
//   the record and writes nothing.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as keys from '../../db/keys.js';
import { batchGet, cancellationReasons, queryAll, tableName, transactWrite, type TransactItem } from '../../db/table.js';
import { undeliverableAmong } from '../mail/feedback.js';
import { notificationWrites } from '../notifications/repository.js';
import type { NotificationRecord } from '../notifications/model.js';
import type { reminderRecord } from './reminders.js';

export interface DueLoan {
  id: string;
  workspace_id: string;
  item_id: string;
  borrower_id: string;
  inventory_id: string;
  quantity: number;
  loaned_at: string;
  due_date: string;
  created_by: string;
  is_archived?: boolean;
}

/** The open loans due on `dueDate`, in every workspace (the index is sparse: open, dated loans only). */
export async function openLoansDueOn(dueDate: string): Promise<DueLoan[]> {
  const found = await queryAll<DueLoan & { entity?: string }>({
    IndexName: 'GSI4',
    KeyConditionExpression: 'GSI4PK = :due',
    ExpressionAttributeValues: { ':due': keys.loansDueIndex(dueDate, '', '').GSI4PK },
  });
  // the index is eventually consistent: a loan returned or extended a moment ago may still be there
  return found.filter((loan) => loan.is_archived !== true && loan.due_date === dueDate);
}

export interface ReminderContext {
  itemName(loan: DueLoan): string | undefined;
  borrower(loan: DueLoan): { name: string; email?: string } | undefined;
  workspace(loan: DueLoan): { name: string; active: boolean } | undefined;
  lender(loan: DueLoan): { name: string; language?: string } | undefined;
  /** whether the lender is still a member of the loan's workspace (only members are notified) */
  lenderIsMember(loan: DueLoan): boolean;
  /** a reminder record read with the rest, when it exists */
  stored(key: { PK: string; SK: string }): Record<string, unknown> | undefined;
  /** whether SES reported this address undeliverable (shared/domain/mail/feedback.ts) */
  undeliverable(email: string): boolean;
}

type Stored = Record<string, unknown> & { PK: string; SK: string };

/** Everything the run's reminders name, and these records, in one BatchGetItem of distinct keys (100 keys a call). */
export async function reminderContext(loans: readonly DueLoan[], records: readonly { PK: string; SK: string }[]): Promise<ReminderContext> {
  const wanted = new Map<string, { PK: string; SK: string }>();
  const want = (key: { PK: string; SK: string }) => wanted.set(`${key.PK}|${key.SK}`, key);
  for (const loan of loans) {
    want(keys.entity(loan.workspace_id, 'ITEM', loan.item_id));
    want(keys.entity(loan.workspace_id, 'BORROWER', loan.borrower_id));
    want(keys.workspace(loan.workspace_id));
    want(keys.user(loan.created_by));
    want(keys.member(loan.workspace_id, loan.created_by));
  }
  for (const record of records) want({ PK: record.PK, SK: record.SK });
  const found = new Map<string, Stored>();
  for (const item of await batchGet<Stored>([...wanted.values()])) found.set(`${item.PK}|${item.SK}`, item);
  const get = (key: { PK: string; SK: string }) => found.get(`${key.PK}|${key.SK}`);
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  // then the marks of the borrowers' addresses: a second BatchGetItem, of distinct addresses
  const emails = loans.flatMap((loan) => text(get(keys.entity(loan.workspace_id, 'BORROWER', loan.borrower_id))?.email) ?? []);
  const undeliverable = await undeliverableAmong(emails);
  return {
    itemName: (loan) => text(get(keys.entity(loan.workspace_id, 'ITEM', loan.item_id))?.name),
    borrower(loan) {
      const borrower = get(keys.entity(loan.workspace_id, 'BORROWER', loan.borrower_id));
      if (!borrower) return undefined;
      const email = text(borrower.email);
      return { name: text(borrower.name) ?? '', ...(email ? { email } : {}) };
    },
    workspace(loan) {
      const workspace = get(keys.workspace(loan.workspace_id));
      return workspace ? { name: text(workspace.name) ?? '', active: workspace.status === 'active' } : undefined;
    },
    lender(loan) {
      const user = get(keys.user(loan.created_by));
      if (!user) return undefined;
      const language = text(user.language);
      return { name: text(user.full_name) ?? text(user.email) ?? '', ...(language ? { language } : {}) };
    },
    lenderIsMember: (loan) => get(keys.member(loan.workspace_id, loan.created_by)) !== undefined,
    stored: (key) => get(key),
    undeliverable: (email) => undeliverable.has(email.toLowerCase()),
  };
}

export type Recorded =
  | { outcome: 'recorded' }
  /** recorded before (a rerun, a retry, a concurrent run): what is stored */
  | { outcome: 'exists'; existing: Record<string, unknown> | undefined }
  /** the loan was returned or its due date moved, or the workspace is being deleted: nothing written */
  | { outcome: 'stale' };

/**
 * Records one reminder, with the lender's notification, in one transaction that writes nothing if
 * the reminder is already there or the loan is no longer open with that due date.
 */
export async function recordReminder(record: ReturnType<typeof reminderRecord>, notification: NotificationRecord | undefined): Promise<Recorded> {
  const items: TransactItem[] = [
    { Put: { TableName: tableName, Item: record, ConditionExpression: 'attribute_not_exists(PK)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    {
      ConditionCheck: {
        TableName: tableName, Key: keys.entity(record.workspace_id, 'LOAN', record.loan_id),
        ConditionExpression: 'due_date = :due AND (attribute_not_exists(is_archived) OR is_archived = :false)',
        ExpressionAttributeValues: { ':due': record.due_date, ':false': false },
      },
    },
    {
      ConditionCheck: {
        TableName: tableName, Key: keys.workspace(record.workspace_id), ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':active': 'active' },
      },
    },
    ...(notification ? notificationWrites(notification) : []),
  ];
  try {
    await transactWrite(items);
    return { outcome: 'recorded' };
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[0] === 'ConditionalCheckFailed') {
      const old = (error as { CancellationReasons?: { Item?: Record<string, AttributeValue> }[] }).CancellationReasons?.[0]?.Item;
      return { outcome: 'exists', existing: old ? unmarshall(old) : undefined };
    }
    if (reasons?.[1] === 'ConditionalCheckFailed' || reasons?.[2] === 'ConditionalCheckFailed') return { outcome: 'stale' };
    throw error;
  }
}

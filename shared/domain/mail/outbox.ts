// The mail outbox. A request that wants a mail sent writes it here, in the same transaction as
// whatever it belongs to; the change feed's mail projector sends it. So a request never waits on
// SES, a mail is never sent for a write that did not commit, and sending is retried by the stream.
//
// Delivery rule (documented in README): a mail is claimed (status `sending`, with a lease) by a
// conditional update before it is sent, and marked `sent` after. A replayed or concurrent record
// finds it claimed or sent and sends nothing. A failed send gives the claim back (`pending`) and is
// retried, at most `maxMailAttempts` times, then marked `failed`. Only a crash between SES
// accepting the mail and the `sent` mark, followed by the lease running out, can send it twice:
// at least once, duplicates only after such a crash.
//
// Other items can be outbox mails too: a loan reminder (shared/domain/loans/reminders.ts) is its
// own outbox entry, under its own key, so the reminder and its mail are one conditional put and
// the send's outcome is recorded on the reminder. Claims and settlements go by the item's key.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { ttlAt } from '../../db/keys.js';
import { isConditionFailure, tableName } from '../../db/table.js';
import type { MailContent } from './templates.js';

export interface OutboxMail extends Omit<MailContent, 'to'> {
  id: string;
  /** absent on decoys (a reset asked for an unknown email): nothing is sent */
  to?: string;
  created_at: string;
}

/** `undeliverable`: not sent, as SES reported the address undeliverable after the mail was written (shared/domain/mail/feedback.ts) */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'undeliverable';

export const maxMailAttempts = 3;
/** How long a claim holds before another delivery may take the mail over. */
export const claimLeaseMs = 2 * 60_000;
const keepDays = 7;

export const outboxEntity = 'MAIL_OUTBOX';
/** Entities the mail projector sends: outbox mails, and loan reminders (each its own outbox entry). */
export const mailEntities: readonly string[] = [outboxEntity, 'LOAN_REMINDER'];

type MailKey = { PK: string; SK: string };

export function outboxItem(mail: OutboxMail) {
  return {
    ...keys.mailOutbox(mail.id), entity: outboxEntity, status: 'pending' as OutboxStatus, attempts: 0,
    ttl: ttlAt(new Date(Date.parse(mail.created_at) + keepDays * 86_400_000)), ...mail,
  };
}

/** Takes the mail for sending and answers which attempt this is; undefined when it is sent, failed, or being sent by someone else. */
export async function claimMail(key: MailKey, now: Date): Promise<number | undefined> {
  try {
    const result = await documents.send(new UpdateCommand({
      TableName: tableName,
      Key: { PK: key.PK, SK: key.SK },
      UpdateExpression: 'SET #status = :sending, claimed_at = :now ADD attempts :one',
      ConditionExpression: '#status = :pending OR (#status = :sending AND claimed_at < :expired)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':sending': 'sending', ':pending': 'pending', ':now': now.toISOString(), ':one': 1,
        ':expired': new Date(now.getTime() - claimLeaseMs).toISOString(),
      },
      ReturnValues: 'UPDATED_NEW',
    }));
    return Number(result.Attributes?.attempts ?? 1);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Records how a claimed send went: `sent`, `pending` again (to be retried) or `failed` for good. */
export async function settleMail(
  key: MailKey,
  outcome: { status: 'sent'; messageId?: string } | { status: 'pending' | 'failed'; error: string } | { status: 'undeliverable' },
): Promise<void> {
  const at = new Date().toISOString();
  await documents.send(new UpdateCommand({
    TableName: tableName,
    Key: { PK: key.PK, SK: key.SK },
    UpdateExpression: outcome.status === 'sent'
      ? 'SET #status = :status, sent_at = :at, message_id = :id REMOVE claimed_at'
      : outcome.status === 'undeliverable'
        ? 'SET #status = :status, settled_at = :at REMOVE claimed_at'
        : 'SET #status = :status, last_error = :error, last_error_at = :at REMOVE claimed_at',
    ConditionExpression: '#status = :sending',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':status': outcome.status, ':at': at, ':sending': 'sending',
      ...(outcome.status === 'sent' ? { ':id': outcome.messageId ?? 'unknown' } : outcome.status === 'undeliverable' ? {} : { ':error': outcome.error }),
    },
  }));
}

/**
 * A mail left unsent: `pending` (its record's deliveries ran out before an attempt succeeded, or it
 * was never delivered) or `sending` past its lease (the sender stopped between claim and settle),
 * for longer than a lease. What a later look at it (the reminder job's next run) hands back.
 */
export function isStranded(mail: { status?: unknown; to?: unknown; claimed_at?: unknown; last_error_at?: unknown; created_at?: unknown; redriven_at?: unknown }, now: Date): boolean {
  if (typeof mail.to !== 'string') return false;
  const expired = now.getTime() - claimLeaseMs;
  const since = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : Number.NaN);
  if (mail.status === 'sending') return since(mail.claimed_at) < expired;
  if (mail.status !== 'pending') return false;
  const last = Math.max(since(mail.last_error_at) || 0, since(mail.created_at) || 0, since(mail.redriven_at) || 0);
  return last < expired;
}

/**
 * Hands a stranded mail back to the mail projector: a change of `redriven_at` (a MODIFY on the
 * stream it wants), under the condition that it is still as stranded as it was seen. Its claim
 * decides who sends, so two redrives at once still send it once. Answers whether it was redriven.
 */
export async function redriveMail(key: MailKey, seen: { status: string }, now: Date): Promise<boolean> {
  try {
    await documents.send(new UpdateCommand({
      TableName: tableName,
      Key: { PK: key.PK, SK: key.SK },
      UpdateExpression: 'SET redriven_at = :now',
      ConditionExpression: seen.status === 'sending' ? '#status = :sending AND claimed_at < :expired' : '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: seen.status === 'sending'
        ? { ':now': now.toISOString(), ':sending': 'sending', ':expired': new Date(now.getTime() - claimLeaseMs).toISOString() }
        : { ':now': now.toISOString(), ':pending': 'pending' },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

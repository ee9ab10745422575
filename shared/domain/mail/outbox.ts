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

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export const maxMailAttempts = 3;
/** How long a claim holds before another delivery may take the mail over. */
export const claimLeaseMs = 2 * 60_000;
const keepDays = 7;

export const outboxEntity = 'MAIL_OUTBOX';

export function outboxItem(mail: OutboxMail) {
  return {
    ...keys.mailOutbox(mail.id), entity: outboxEntity, status: 'pending' as OutboxStatus, attempts: 0,
    ttl: ttlAt(new Date(Date.parse(mail.created_at) + keepDays * 86_400_000)), ...mail,
  };
}

/** Takes the mail for sending and answers which attempt this is; undefined when it is sent, failed, or being sent by someone else. */
export async function claimMail(mailId: string, now: Date): Promise<number | undefined> {
  try {
    const result = await documents.send(new UpdateCommand({
      TableName: tableName,
      Key: keys.mailOutbox(mailId),
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
export async function settleMail(mailId: string, outcome: { status: 'sent'; messageId?: string } | { status: 'pending' | 'failed'; error: string }): Promise<void> {
  const at = new Date().toISOString();
  await documents.send(new UpdateCommand({
    TableName: tableName,
    Key: keys.mailOutbox(mailId),
    UpdateExpression: outcome.status === 'sent'
      ? 'SET #status = :status, sent_at = :at, message_id = :id REMOVE claimed_at'
      : 'SET #status = :status, last_error = :error, last_error_at = :at REMOVE claimed_at',
    ConditionExpression: '#status = :sending',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':status': outcome.status, ':at': at, ':sending': 'sending',
      ...(outcome.status === 'sent' ? { ':id': outcome.messageId ?? 'unknown' } : { ':error': outcome.error }),
    },
  }));
}

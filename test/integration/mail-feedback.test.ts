// SES bounces and complaints (issue 9, "SES in AWS"): the mail-feedback handler
// (functions/sns/mail-feedback.ts) fed SNS-shaped events in this process, and the whole path
// through the shared local runtime, whose SES plays back SES's mailbox simulator: a reminder mailed
// to bounce+…@simulator.amazonses.com comes back as a bounce event, the runtime hands it to the
// handler, the address is marked undeliverable, the lender is told once, and later reminders and
// other mail to it are not sent.
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context, SNSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { lambdaContext } from '../support/lambda.js';
import { addMember, call, createWorkspace, expectStatus, mailTo, signUp, uniqueEmail, type SignedInUser } from './support/api.js';
import { getItem } from './support/table.js';
import { eventually } from './support/eventually.js';

type Entity = Record<string, any> & { id: string };
type FeedbackRun = { records: number; marked: number; told: number; ignored: number };
type ReminderRun = { mailed: number; skipped: number; undeliverable: number; loans: number };

let feedback: (event: SNSEvent, context: Context) => Promise<FeedbackRun>;
let reminders: (event: { time?: string }, context: Context) => Promise<ReminderRun>;
beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.JWT_SECRET = inject('jwtSecret');
  process.env.DYNAMODB_SLOW_MS = '60000';
  feedback = (await import('../../functions/sns/mail-feedback.js')).handler as unknown as typeof feedback;
  reminders = (await import('../../functions/jobs/loan-reminders.js')).handler as unknown as typeof reminders;
});

const context = () => lambdaContext('mail-feedback');
const runReminders = (day: string) => reminders({ time: `${day}T09:00:00Z` }, { ...lambdaContext('loan-reminders'), getRemainingTimeInMillis: () => 300_000 });

/** An SNS record carrying an SES event notification, as the configuration set's topic delivers it. */
function snsOf(...sesEvents: Record<string, unknown>[]): SNSEvent {
  return {
    Records: sesEvents.map((sesEvent) => ({
      EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:hw-mail-feedback:1',
      Sns: {
        Type: 'Notification', MessageId: randomUUID(), TopicArn: 'arn:aws:sns:us-east-1:000000000000:hw-mail-feedback', Subject: '',
        Message: JSON.stringify(sesEvent), Timestamp: new Date().toISOString(), SignatureVersion: '1', Signature: 'x',
        SigningCertUrl: 'https://example.test/cert', UnsubscribeUrl: 'https://example.test/unsubscribe', MessageAttributes: {},
      },
    })),
  };
}

const mailOf = (tags: Record<string, string> = {}) => ({
  messageId: randomUUID(), timestamp: new Date().toISOString(),
  tags: Object.fromEntries(Object.entries(tags).map(([name, value]) => [name, [value]])),
});
const bounce = (address: string, bounceType: string, tags?: Record<string, string>) =>
  ({ eventType: 'Bounce', mail: mailOf(tags), bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: [{ emailAddress: address, status: '5.1.1' }] } });
const complaint = (address: string, tags?: Record<string, string>) =>
  ({ eventType: 'Complaint', mail: mailOf(tags), complaint: { complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: address }] } });

const mark = (address: string) => getItem({ PK: `MAIL#${address.toLowerCase()}`, SK: 'UNDELIVERABLE' });

async function notificationsOf(user: SignedInUser, type: string): Promise<Entity[]> {
  const answer = expectStatus(await call<{ items: Entity[] }>('GET', '/notifications', { token: user.token, query: { limit: 100 } }), 200).json;
  return answer.items.filter((notification) => notification.notification_type === type);
}

const create = async (token: string, workspaceId: string, segment: string, body: Record<string, unknown>): Promise<Entity> =>
  expectStatus(await call<Entity>('POST', `/workspaces/${workspaceId}/${segment}`, { token, body }), 201).json;

/** A workspace with one loan of `email`'s borrower, due on `dueDate`. */
async function lent(email: string, dueDate: string) {
  const [owner, member] = await Promise.all([signUp({ fullName: 'Grace Hopper' }), signUp({ fullName: 'Alan Turing' })]);
  const ws = (await createWorkspace(owner.token, { name: 'Hopper Household' })).id;
  await addMember(owner.token, ws, member.id, 'member');
  const item = await create(owner.token, ws, 'items', { name: 'Ladder' });
  const location = await create(owner.token, ws, 'locations', { name: 'Shed' });
  const row = await create(owner.token, ws, 'inventory', { item_id: item.id, location_id: location.id, quantity: 3 });
  const borrower = await create(owner.token, ws, 'borrowers', { name: 'Bounce Bailey', email });
  const loan = await create(owner.token, ws, 'loans', { inventory_id: row.id, borrower_id: borrower.id, due_date: dueDate });
  return { owner, member, ws, borrower, loan };
}

const dayMs = 86_400_000;
const addDays = (day: string, count: number) => new Date(Date.parse(`${day}T00:00:00Z`) + count * dayMs).toISOString().slice(0, 10);

describe('the mail-feedback handler, fed SNS-shaped SES events', () => {
  it('marks an address after a permanent bounce and tells the lender of the reminder once, however often the event comes', async () => {
    const address = uniqueEmail('gone');
    const { owner, ws, borrower, loan } = await lent(address, '2999-01-01');
    const tags = { kind: 'loan-reminder', workspace_id: ws, loan_id: loan.id, borrower_id: borrower.id, lender_id: owner.id };
    expect(await feedback(snsOf(bounce(address.toUpperCase(), 'Permanent', tags)), context())).toEqual({ records: 1, marked: 1, told: 1, ignored: 0 });
    expect(await mark(address)).toMatchObject({ reason: 'bounce', detail: 'Permanent/General', email: address });
    // SNS delivers again, and a later bounce of another reminder: nothing new
    expect(await feedback(snsOf(bounce(address, 'Permanent', tags), bounce(address, 'Permanent', tags)), context())).toEqual({ records: 2, marked: 0, told: 0, ignored: 0 });
    const told = await notificationsOf(owner, 'MAIL_UNDELIVERABLE');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ workspace_id: ws, title: 'Reminders to Bounce Bailey are not mailed any more', metadata: { borrower_id: borrower.id, loan_id: loan.id, reason: 'bounce' } });
    expect(told[0]!.message).toContain(address);
  });

  it('marks an address after a complaint; a transient bounce, a delivery or a message that is not SES marks nothing', async () => {
    const [complained, full] = [uniqueEmail('spam'), uniqueEmail('full')];
    const run = await feedback(snsOf(
      complaint(complained),
      bounce(full, 'Transient'),
      { eventType: 'Delivery', mail: mailOf(), delivery: { recipients: [full] } },
      { Type: 'SubscriptionConfirmation' },
    ), context());
    expect(run).toEqual({ records: 4, marked: 1, told: 0, ignored: 3 });
    expect(await mark(complained)).toMatchObject({ reason: 'complaint', detail: 'abuse' });
    expect(await mark(full)).toBeUndefined();
    const garbled = snsOf({});
    garbled.Records[0]!.Sns.Message = 'not json';
    expect(await feedback(garbled, context())).toEqual({ records: 1, marked: 0, told: 0, ignored: 1 });
  });

  it('does not tell a lender who has left the workspace, nor one whose tags are not ids', async () => {
    const address = uniqueEmail('left');
    const { owner, member, ws, borrower, loan } = await lent(address, '2999-01-01');
    expectStatus(await call('DELETE', `/workspaces/${ws}/members/${member.id}`, { token: owner.token }), 204);
    const tags = { kind: 'loan-reminder', workspace_id: ws, loan_id: loan.id, borrower_id: borrower.id, lender_id: member.id };
    expect(await feedback(snsOf(bounce(address, 'Permanent', tags)), context())).toMatchObject({ marked: 1, told: 0 });
    expect(await notificationsOf(member, 'MAIL_UNDELIVERABLE')).toEqual([]);
    const other = uniqueEmail('tags');
    expect(await feedback(snsOf(bounce(other, 'Permanent', { ...tags, lender_id: 'not-an-id' })), context())).toMatchObject({ marked: 1, told: 0 });
  });
});

describe('a bounced reminder, through the local runtime (SES mailbox simulator → SNS-shaped event → handler)', () => {
  it('marks the address, tells the lender once, and mails nothing more to it: no later reminder, no password reset', async () => {
    const address = `bounce+${randomUUID().slice(0, 8)}@simulator.amazonses.com`;
    const base = addDays('2400-01-01', randomInt(0, 100_000));
    const { owner, borrower } = await lent(address, addDays(base, 1));

    // due tomorrow: the "due soon" reminder is mailed; the simulator bounces it
    expect(await runReminders(base)).toMatchObject({ loans: 1, mailed: 1 });
    await eventually('the bounce marked the address', () => mark(address), (item) => item !== undefined, 20_000);
    expect(await mark(address)).toMatchObject({ reason: 'bounce' });
    const told = await eventually('the lender told', () => notificationsOf(owner, 'MAIL_UNDELIVERABLE'), (list) => list.length > 0, 20_000);
    expect(told).toHaveLength(1);
    expect(told[0]!.metadata).toMatchObject({ borrower_id: borrower.id });
    expect(await mailTo(address)).toHaveLength(1);

    // the first overdue day: recorded, not mailed; the lender's reminder notification says why
    expect(await runReminders(addDays(base, 2))).toMatchObject({ loans: 1, mailed: 0, skipped: 1, undeliverable: 1 });
    const overdue = (await notificationsOf(owner, 'LOAN_OVERDUE')).at(0);
    expect(overdue?.message).toContain('Mail to their address does not arrive');
    expect(overdue?.metadata).toMatchObject({ mailed: false, undeliverable: true });
    expect(await mailTo(address)).toHaveLength(1);
    expect(await notificationsOf(owner, 'MAIL_UNDELIVERABLE')).toHaveLength(1);

    // any other mail to it is held back by the mail projector (a password reset of an account at that address)
    const user = await signUp({ email: address.replace('bounce+', 'bounce+u'), fullName: 'Bounce Bailey' });
    await feedback(snsOf(bounce(user.email, 'Permanent')), context());
    expectStatus(await call('POST', '/auth/password-reset', { body: { email: user.email } }), 202);
    // the outbox entry, found through the runtime's log of the stream records it delivered
    const resetMail = await eventually('the reset mail settled', async () => {
      const ids = [...new Set([...readFileSync(inject('runtimeLog'), 'utf8').matchAll(/INSERT (OUTBOX#[0-9a-f-]+) MAIL/g)].map((match) => match[1]!))];
      const items = await Promise.all(ids.map((pk) => getItem({ PK: pk, SK: 'MAIL' })));
      return items.find((item) => item?.to === user.email);
    }, (item) => item !== undefined && item.status !== 'pending' && item.status !== 'sending', 20_000);
    expect(resetMail).toMatchObject({ status: 'undeliverable' });
    expect(await mailTo(user.email)).toEqual([]);
  });
});

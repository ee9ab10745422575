// The loan reminder job (issue 9, "Reminder job"), over the shared local runtime: loans seeded
// through the HTTP API (borrowers with and without email, items, rows, loans with due dates, one
// returned, one undated, one extended), then the job run across simulated days, in this process
// (its handler, with the day in the scheduled event) and as `npm run job loan-reminders -- --date`.
// aws-ses-v2-local's store must hold exactly the expected mails: one "due soon" per loan and due
// date, "overdue" on the first overdue day and 7 days later, none for the returned or undated
// loans, none for the borrower without email, none twice across three reruns and two concurrent
// runs (in-process and as separate processes). One send is refused once by the local SES (its
// fault control) and is retried by the change feed: one mail, two attempts on the record. The
// lenders get LOAN_DUE_SOON / LOAN_OVERDUE notifications. A mail left stranded (a sender stopped
// between claim and send) is handed back by the next run and sent once.
// The days are far in the future (a random year past 2300), so no other test's loans are due then.
import { randomInt } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lambdaContext } from '../support/lambda.js';
import { addMember, call, createWorkspace, expectStatus, mailTo, signUp, uniqueEmail, type SentMail, type SignedInUser } from './support/api.js';
import { partition } from './support/table.js';
import { runJob } from './support/run-job.js';
import { eventually } from './support/eventually.js';

type Entity = Record<string, any> & { id: string };
type ReminderRun = { day: string; daysRead: number; loans: number; mailed: number; skipped: number; existing: number; redriven: number; stale: number; failed: number };
type Handler = (event: { time?: string }, context: Context) => Promise<ReminderRun>;

let handler: Handler;
beforeAll(async () => {
  // the handler's logs and metrics stay quiet in this process (read when first imported)
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  // the runtime's secret: the job signs the borrower links its mails carry (read when first used)
  process.env.JWT_SECRET = inject('jwtSecret');
  process.env.DYNAMODB_SLOW_MS = '60000'; // DynamoDB Local is slower than the alarm threshold; not what this file checks
  handler = (await import('../../functions/jobs/loan-reminders.js')).handler as unknown as Handler;
});

const dayMs = 86_400_000;
const addDays = (day: string, count: number) => new Date(Date.parse(`${day}T00:00:00Z`) + count * dayMs).toISOString().slice(0, 10);
/** "Thursday 24 December 2026" */
const longDate = (day: string) => {
  const date = new Date(`${day}T00:00:00Z`);
  const name = (part: 'weekday' | 'month') => new Intl.DateTimeFormat('en', { [part]: 'long', timeZone: 'UTC' }).format(date);
  return `${name('weekday')} ${date.getUTCDate()} ${name('month')} ${date.getUTCFullYear()}`;
};

/** The job's handler in this process, as if scheduled on `day` at 09:00 UTC. */
const runHere = (day: string) => handler({ time: `${day}T09:00:00Z` }, { ...lambdaContext('loan-reminders'), getRemainingTimeInMillis: () => 300_000 });

/** `npm run job loan-reminders -- --date <day>` against this run's runtime; answers the job's result. */
async function runCli(day: string): Promise<ReminderRun> {
  const result = await runJob(['loan-reminders', '--date', day]);
  expect(result.code, `npm run job loan-reminders failed:\n${result.output}`).toBe(0);
  expect(result.output).toContain(`as scheduled at ${day}T`);
  const json = /^\{$[\s\S]*?^\}$/m.exec(result.output);
  expect(json, result.output).not.toBeNull();
  return JSON.parse(json![0]) as ReminderRun;
}

const sesUrl = () => inject('sesEndpoint').replace(/\/+$/, '');

/** The local SES refuses the next `count` sends to `to` (infra/local/ses.ts, "Faults"). */
async function refuseNextSends(to: string, count: number) {
  const response = await fetch(`${sesUrl()}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to, count }) });
  expect(response.status).toBe(201);
}

const reminders = (workspaceId: string) => partition(`WS#${workspaceId}#REMINDERS`);

/** Waits until the change feed has settled every reminder mail of the workspace (sent or failed; skipped ones have none). */
const settled = (workspaceId: string) =>
  eventually('reminder mails settled', () => reminders(workspaceId), (records) => records.every((record) => ['sent', 'failed', 'skipped'].includes(record.status)), 20_000);

const create = async (token: string, workspaceId: string, segment: string, body: Record<string, unknown>): Promise<Entity> =>
  expectStatus(await call<Entity>('POST', `/workspaces/${workspaceId}/${segment}`, { token, body }), 201).json;

interface World {
  owner: SignedInUser;
  member: SignedInUser;
  ws: { id: string; name: string };
  drill: Entity;
  chairs: Entity;
  emails: { ada: string; bob: string; dee: string };
  /** L1 ada drill due B+3 (extended to B+6), L2 bob 2 chairs due B+1 (lent by the member), L3 cy (no email) due B+2, L4 ada chair due B+10, L5 dee due B+1, L6 bob returned, L7 ada undated */
  loans: Record<'l1' | 'l2' | 'l3' | 'l4' | 'l5' | 'l6' | 'l7', Entity>;
}

async function seed(base: string): Promise<World> {
  const [owner, member] = await Promise.all([signUp({ fullName: 'Grace Hopper' }), signUp({ fullName: 'Alan Turing' })]);
  const workspace = await createWorkspace(owner.token, { name: 'Hopper Household' });
  const ws = workspace.id;
  await addMember(owner.token, ws, member.id, 'member');
  const [drill, chairs, garage] = await Promise.all([
    create(owner.token, ws, 'items', { name: 'Cordless drill' }),
    create(owner.token, ws, 'items', { name: 'Folding chair' }),
    create(owner.token, ws, 'locations', { name: 'Garage' }),
  ]);
  const [drillRow, chairRow] = await Promise.all([
    create(owner.token, ws, 'inventory', { item_id: drill.id, location_id: garage.id, quantity: 5 }),
    create(owner.token, ws, 'inventory', { item_id: chairs.id, location_id: garage.id, quantity: 10 }),
  ]);
  const emails = { ada: uniqueEmail('ada'), bob: uniqueEmail('bob'), dee: uniqueEmail('dee') };
  const [ada, bob, cy, dee] = await Promise.all([
    create(owner.token, ws, 'borrowers', { name: 'Ada Lovelace', email: emails.ada }),
    create(owner.token, ws, 'borrowers', { name: 'Bob Noyce', email: emails.bob }),
    create(owner.token, ws, 'borrowers', { name: 'Cy Young', phone: '+44 20 7946 0000' }),
    create(owner.token, ws, 'borrowers', { name: 'Dee Dee', email: emails.dee }),
  ]);
  const lend = (token: string, body: Record<string, unknown>) => create(token, ws, 'loans', body);
  // one at a time: each loan raises its row's on_loan in a transaction
  const l1 = await lend(owner.token, { inventory_id: drillRow.id, borrower_id: ada.id, due_date: addDays(base, 3) });
  const l2 = await lend(member.token, { inventory_id: chairRow.id, borrower_id: bob.id, quantity: 2, due_date: addDays(base, 1) });
  const l3 = await lend(owner.token, { inventory_id: drillRow.id, borrower_id: cy.id, due_date: addDays(base, 2) });
  const l4 = await lend(owner.token, { inventory_id: chairRow.id, borrower_id: ada.id, due_date: addDays(base, 10) });
  const l5 = await lend(owner.token, { inventory_id: drillRow.id, borrower_id: dee.id, due_date: addDays(base, 1) });
  const l6 = await lend(owner.token, { inventory_id: drillRow.id, borrower_id: bob.id, due_date: addDays(base, 2) });
  const l7 = await lend(owner.token, { inventory_id: chairRow.id, borrower_id: ada.id });
  expectStatus(await call('POST', `/workspaces/${ws}/loans/${l6.id}/return`, { token: owner.token }), 200);
  return { owner, member, ws: { id: ws, name: workspace.name }, drill, chairs, emails, loans: { l1, l2, l3, l4, l5, l6, l7 } };
}

/** How many mails each address has received. */
async function mailCounts(world: World): Promise<Record<string, number>> {
  const entries = await Promise.all(Object.entries(world.emails).map(async ([who, address]) => [who, (await mailTo(address)).length] as const));
  return Object.fromEntries(entries);
}

/** The notifications of `user` about this workspace, oldest first. */
async function notificationsOf(user: SignedInUser, workspaceId: string): Promise<Entity[]> {
  const answer = expectStatus(await call<{ items: Entity[] }>('GET', '/notifications', { token: user.token, query: { limit: 100 } }), 200).json;
  return answer.items.filter((notification) => notification.workspace_id === workspaceId).reverse();
}

describe('the loan reminder job', () => {
  const base = addDays('2300-01-01', randomInt(0, 200_000));
  const day = (offset: number) => addDays(base, offset);
  let world: World;

  beforeAll(async () => {
    world = await seed(base);
  }, 60_000);

  it('reminds each loan once per due date and overdue step, over several days, however often and concurrently it runs', async () => {
    const { loans, ws, emails } = world;
    // Dee's first reminder is refused once by SES; the change feed tries it again.
    await refuseNextSends(emails.dee, 1);

    // Day B: three runs one after the other; only the first records anything.
    const first = await runHere(day(0));
    expect(first).toMatchObject({ day: day(0), daysRead: 4 + 13, mailed: 3, skipped: 1, existing: 0, stale: 0, failed: 0 });
    for (let rerun = 0; rerun < 2; rerun += 1) expect(await runHere(day(0))).toMatchObject({ mailed: 0, skipped: 0, existing: 4, failed: 0 });
    await settled(ws.id);
    expect(await mailCounts(world)).toEqual({ ada: 1, bob: 1, dee: 1 });

    // Dee's mail: refused once (MessageRejected), sent at the second attempt, recorded so.
    const deeRecord = (await reminders(ws.id)).find((record) => record.loan_id === loans.l5.id)!;
    expect(deeRecord).toMatchObject({ kind: 'DUE_SOON', due_date: day(1), status: 'sent', attempts: 2, last_error: 'MessageRejected', to: emails.dee });
    // Cy has no email: recorded as skipped, nothing to send.
    const cyRecord = (await reminders(ws.id)).find((record) => record.loan_id === loans.l3.id)!;
    expect(cyRecord).toMatchObject({ kind: 'DUE_SOON', status: 'skipped', skip_reason: 'no_email' });
    expect(cyRecord).not.toHaveProperty('to');

    // Day B+1: nothing new (the loans due today were reminded for that due date already), via the CLI.
    expect(await runCli(day(1))).toMatchObject({ mailed: 0, skipped: 0, existing: 4, failed: 0 });

    // L1 is extended: its new due date gets its own "due soon" reminder later.
    expectStatus(await call('PATCH', `/workspaces/${ws.id}/loans/${loans.l1.id}/extend`, { token: world.owner.token, body: { new_due_date: day(6) } }), 200);

    // Day B+2: the first overdue day of L2 and L5; two runs at once, as separate processes.
    const pair = await Promise.all([runCli(day(2)), runCli(day(2))]);
    expect(pair.map((run) => run.failed)).toEqual([0, 0]);
    expect(pair[0]!.mailed + pair[1]!.mailed).toBe(2); // each reminder recorded by exactly one of them
    expect(pair[0]!.existing + pair[1]!.existing).toBe(2 + 2 * 1); // the other's two, and L3's "due soon" (due today) twice
    await settled(ws.id);
    expect(await mailCounts(world)).toEqual({ ada: 1, bob: 2, dee: 2 });

    // Day B+3: L3's first overdue day (no email: skipped) and L1's new due date; two runs at once in this process.
    const together = await Promise.all([runHere(day(3)), runHere(day(3))]);
    expect(together[0]!.mailed + together[1]!.mailed).toBe(1);
    expect(together[0]!.skipped + together[1]!.skipped).toBe(1);
    await settled(ws.id);
    expect(await mailCounts(world)).toEqual({ ada: 2, bob: 2, dee: 2 });

    // Days B+4 … B+10: on B+7 L4 is due soon and L1 (due B+6 since its extension) overdue; L2 and
    // L5 are overdue again on B+9 (7 days after the first), L3 on B+10 (no email: skipped).
    for (let offset = 4; offset <= 10; offset += 1) await runHere(day(offset));
    await settled(ws.id);
    expect(await mailCounts(world)).toEqual({ ada: 4, bob: 3, dee: 3 });

    // Every day once more: nothing new.
    for (let offset = 0; offset <= 10; offset += 1) expect(await runHere(day(offset)), day(offset)).toMatchObject({ mailed: 0, skipped: 0, failed: 0 });
    await settled(ws.id);
    expect(await mailCounts(world)).toEqual({ ada: 4, bob: 3, dee: 3 });

    // The records: exactly these reminders, each mailed one sent (none failed), the no-email ones skipped.
    const records = await reminders(ws.id);
    const expected = [
      [loans.l1, 'DUE_SOON', day(3), undefined, 'sent'], [loans.l1, 'DUE_SOON', day(6), undefined, 'sent'], [loans.l1, 'OVERDUE', day(6), day(7), 'sent'],
      [loans.l2, 'DUE_SOON', day(1), undefined, 'sent'], [loans.l2, 'OVERDUE', day(1), day(2), 'sent'], [loans.l2, 'OVERDUE', day(1), day(9), 'sent'],
      [loans.l3, 'DUE_SOON', day(2), undefined, 'skipped'], [loans.l3, 'OVERDUE', day(2), day(3), 'skipped'], [loans.l3, 'OVERDUE', day(2), day(10), 'skipped'],
      [loans.l4, 'DUE_SOON', day(10), undefined, 'sent'],
      [loans.l5, 'DUE_SOON', day(1), undefined, 'sent'], [loans.l5, 'OVERDUE', day(1), day(2), 'sent'], [loans.l5, 'OVERDUE', day(1), day(9), 'sent'],
    ] as const;
    const shape = (loanId: string, kind: string, dueDate: string, on: string | undefined) => `${loanId}#${kind}#${dueDate}${on ? `#${on}` : ''}`;
    expect(records.map((record) => [record.SK, record.status]).sort()).toEqual(expected.map(([loan, kind, dueDate, on, status]) => [shape(loan.id, kind, dueDate, on), status]).sort());
    expect(records.filter((record) => record.loan_id === loans.l6.id || record.loan_id === loans.l7.id)).toEqual([]);
  }, 240_000);

  it('mails say who lent what: item, quantity, due date, workspace and lender, in a text and an HTML part', async () => {
    const { emails, ws } = world;
    const [soon, overdue] = await mailTo(emails.bob);
    const from = 'no-reply@home-warehouse.local';
    expect(soon).toMatchObject<Partial<SentMail>>({ from, subject: `Alan Turing lent you 2 × Folding chair: please return it by tomorrow` });
    for (const part of [soon!.body.text!, soon!.body.html!]) {
      for (const fact of ['Bob Noyce', 'Alan Turing', '2 × Folding chair', longDate(day(1)), ws.name]) expect(part).toContain(fact);
    }
    expect(soon!.body.text).toContain('It is due back tomorrow');
    expect(soon!.body.text).toMatch(/^Quantity: 2$/m);
    expect(soon!.body.html).toMatch(/^<!doctype html>/);
    expect(soon!.body.html).toContain('<th align="left">Quantity</th><td>2</td>');
    expect(overdue).toMatchObject({ from, subject: `Alan Turing lent you 2 × Folding chair: it was due back on ${longDate(day(1))}` });
    expect(overdue!.body.text).toContain(`It was due back on ${longDate(day(1))}, 1 day ago.`);
    const [ada] = await mailTo(emails.ada);
    expect(ada!.subject).toBe(`Grace Hopper lent you Cordless drill: please return it by ${longDate(day(3))}`);
    expect(ada!.body.text).toContain('It is due back in 3 days');
    // each mail carries the borrower's page of its own loan (a signed link), in both parts
    for (const [mail, item] of [[soon!, 'Folding chair'], [ada!, 'Cordless drill']] as const) {
      const token = /\/b\/([A-Za-z0-9_-]{114})$/m.exec(mail.body.text!)?.[1];
      expect(token, mail.body.text).toBeDefined();
      expect(mail.body.html).toContain(`/b/${token}">`);
      const page = await call('GET', `/b/${token}`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.text).toContain(item);
      expect(page.text).toContain('I have returned it');
    }
    // every mail of the workspace went to a borrower's address, never to the lenders
    expect(await mailTo(world.owner.email)).toEqual([]);
    expect(await mailTo(world.member.email)).toEqual([]);
  });

  it('notifies the member who made each loan: LOAN_DUE_SOON and LOAN_OVERDUE, also when the borrower has no email', async () => {
    const { owner, member, ws, loans } = world;
    const mine = await notificationsOf(owner, ws.id);
    const reminderTypes = (list: Entity[]) => list.filter((notification) => /^LOAN_(DUE_SOON|OVERDUE)$/.test(notification.notification_type));
    const summary = (list: Entity[]) => reminderTypes(list).map((notification) => `${notification.notification_type} ${notification.metadata.loan_id} ${notification.metadata.due_date} ${notification.metadata.mailed}`).sort();
    expect(summary(mine)).toEqual([
      `LOAN_DUE_SOON ${loans.l1.id} ${day(3)} true`, `LOAN_DUE_SOON ${loans.l1.id} ${day(6)} true`, `LOAN_OVERDUE ${loans.l1.id} ${day(6)} true`,
      `LOAN_DUE_SOON ${loans.l3.id} ${day(2)} false`, `LOAN_OVERDUE ${loans.l3.id} ${day(2)} false`, `LOAN_OVERDUE ${loans.l3.id} ${day(2)} false`,
      `LOAN_DUE_SOON ${loans.l4.id} ${day(10)} true`,
      `LOAN_DUE_SOON ${loans.l5.id} ${day(1)} true`, `LOAN_OVERDUE ${loans.l5.id} ${day(1)} true`, `LOAN_OVERDUE ${loans.l5.id} ${day(1)} true`,
    ].sort());
    expect(summary(await notificationsOf(member, ws.id))).toEqual([
      `LOAN_DUE_SOON ${loans.l2.id} ${day(1)} true`, `LOAN_OVERDUE ${loans.l2.id} ${day(1)} true`, `LOAN_OVERDUE ${loans.l2.id} ${day(1)} true`,
    ].sort());
    const cy = reminderTypes(mine).find((notification) => notification.metadata.loan_id === loans.l3.id && notification.notification_type === 'LOAN_DUE_SOON')!;
    expect(cy).toMatchObject({ title: 'Due in 2 days: Cordless drill', is_read: false });
    expect(cy.message).toBe(`Cy Young has Cordless drill until ${longDate(day(2))}. They have no email address, so no reminder was mailed.`);
  });
});

describe('a reminder mail left stranded', () => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }), { marshallOptions: { removeUndefinedValues: true } });
  afterAll(() => documents.destroy());

  it('is handed back to the change feed by the next run and sent once', async () => {
    const base = addDays('2300-01-01', randomInt(0, 200_000));
    const owner = await signUp({ fullName: 'Mary Jackson' });
    const ws = (await createWorkspace(owner.token, { name: 'Jackson place' })).id;
    const [item, place] = await Promise.all([create(owner.token, ws, 'items', { name: 'Ladder' }), create(owner.token, ws, 'locations', { name: 'Shed' })]);
    const row = await create(owner.token, ws, 'inventory', { item_id: item.id, location_id: place.id, quantity: 1 });
    const email = uniqueEmail('kat');
    const borrower = await create(owner.token, ws, 'borrowers', { name: 'Katherine Johnson', email });
    const loan = await create(owner.token, ws, 'loans', { inventory_id: row.id, borrower_id: borrower.id, due_date: addDays(base, 2) });

    // A sender claimed the reminder and stopped before SES (its lease long gone): written as the
    // projector leaves it, without a stream record the mail projector would act on.
    const key = { PK: `WS#${ws}#REMINDERS`, SK: `${loan.id}#DUE_SOON#${addDays(base, 2)}` };
    await documents.send(new PutCommand({
      TableName: inject('tableName'),
      Item: { ...key, entity: 'LOAN_REMINDER', id: key.SK, kind: 'DUE_SOON', workspace_id: ws, loan_id: loan.id, due_date: addDays(base, 2), day: base, status: 'skipped', created_at: new Date(Date.now() - 600_000).toISOString() },
    }));
    await documents.send(new UpdateCommand({
      TableName: inject('tableName'), Key: key,
      UpdateExpression: 'SET #status = :sending, claimed_at = :long_ago, attempts = :one, #to = :to, subject = :subject, #text = :text, html = :html',
      ExpressionAttributeNames: { '#status': 'status', '#to': 'to', '#text': 'text' },
      ExpressionAttributeValues: {
        ':sending': 'sending', ':long_ago': new Date(Date.now() - 600_000).toISOString(), ':one': 1, ':to': email,
        ':subject': 'Mary Jackson lent you Ladder (stranded)', ':text': 'stranded', ':html': '<p>stranded</p>',
      },
    }));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await mailTo(email)).toEqual([]);

    const run = await runHere(base);
    expect(run).toMatchObject({ mailed: 0, existing: 1, redriven: 1, failed: 0 });
    await settled(ws);
    const mails = await mailTo(email);
    expect(mails.map((mail) => mail.subject)).toEqual(['Mary Jackson lent you Ladder (stranded)']);
    expect((await reminders(ws))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    // handed back once: a later run finds it sent
    expect(await runHere(base)).toMatchObject({ existing: 1, redriven: 0 });
    await settled(ws);
    expect(await mailTo(email)).toHaveLength(1);
  }, 60_000);
});

// The rules of loan reminders without AWS (shared/domain/loans/reminders.ts): which due days a run
// reads and which reminder a loan gets on a day agree; a loan's reminders over its life; the
// mail templates (who lent what, escaping, languages); the run's day; stranded mails; the settings.
import { describe, expect, it } from 'vitest';
import { loadConfig, loanReminderSettings } from '../../shared/config.js';
import { addDays, dueDaysToRead, isCalendarDay, reminderKey, reminderKindOn, reminderRecord, type ReminderSettings } from '../../shared/domain/loans/reminders.js';
import { loanReminderMail, loanReminderNotification, type ReminderFacts } from '../../shared/domain/mail/loan-reminder-templates.js';
import { claimLeaseMs, isStranded } from '../../shared/domain/mail/outbox.js';
import { runDay } from '../../functions/jobs/loan-reminders.js';

const settings: ReminderSettings = { dueSoonDays: 3, overdueLimit: 13 };

describe('which loans a run reminds', () => {
  it('reads today … today+3 for "due soon" and today−1, −8, −15 … (13 days) for "overdue": one Query each', () => {
    const days = dueDaysToRead('2026-12-24', settings);
    expect(days.filter((entry) => entry.kind === 'DUE_SOON').map((entry) => entry.dueDate)).toEqual(['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-27']);
    const overdue = days.filter((entry) => entry.kind === 'OVERDUE').map((entry) => entry.dueDate);
    expect(overdue).toHaveLength(13);
    expect(overdue.slice(0, 3)).toEqual(['2026-12-23', '2026-12-16', '2026-12-09']);
    expect(overdue.at(-1)).toBe(addDays('2026-12-23', -12 * 7));
  });

  it('agrees with the rule for one loan: a due day is read exactly when a loan due then gets a reminder that day', () => {
    for (const day of ['2026-12-24', '2027-03-01', '2028-02-29']) {
      const read = new Map(dueDaysToRead(day, settings).map((entry) => [entry.dueDate, entry.kind]));
      for (let offset = -120; offset <= 30; offset += 1) {
        const dueDate = addDays(day, offset);
        expect(reminderKindOn(day, dueDate, settings), `${dueDate} on ${day}`).toBe(read.get(dueDate));
      }
    }
  });

  it('gives a loan "due soon" from 3 days ahead (one record per due date) and "overdue" on due+1, +8, … 13 times', () => {
    const due = '2027-01-10';
    const records = new Set<string>();
    const remindedOn: string[] = [];
    for (let offset = -10; offset <= 120; offset += 1) {
      const day = addDays(due, offset);
      const kind = reminderKindOn(day, due, settings);
      if (!kind) continue;
      const key = reminderKey('ws', 'loan', kind, due, day).SK;
      if (!records.has(key)) remindedOn.push(`${kind} ${day}`);
      records.add(key);
    }
    expect(remindedOn).toEqual([
      'DUE_SOON 2027-01-07',
      ...Array.from({ length: 13 }, (_, week) => `OVERDUE ${addDays(due, 1 + week * 7)}`),
    ]);
    expect(remindedOn.at(-1)).toBe('OVERDUE 2027-04-05'); // 85 days after the due date
  });

  it('keys a reminder by loan, kind, due date and (overdue) day', () => {
    expect(reminderKey('w', 'l', 'DUE_SOON', '2027-01-10', '2027-01-07')).toEqual({ PK: 'WS#w#REMINDERS', SK: 'l#DUE_SOON#2027-01-10' });
    expect(reminderKey('w', 'l', 'OVERDUE', '2027-01-10', '2027-01-11')).toEqual({ PK: 'WS#w#REMINDERS', SK: 'l#OVERDUE#2027-01-10#2027-01-11' });
  });

  it('takes the run\'s day from the scheduled time (UTC), else today', () => {
    expect(runDay({ time: '2026-12-24T09:00:00Z' })).toBe('2026-12-24');
    expect(runDay({ time: '2026-12-24T23:30:00-02:00' })).toBe('2026-12-25');
    expect(runDay({}, new Date('2027-05-01T10:00:00Z'))).toBe('2027-05-01');
    expect(runDay({ time: 'not a time' }, new Date('2027-05-01T10:00:00Z'))).toBe('2027-05-01');
    expect(isCalendarDay('2027-02-29')).toBe(false);
    expect(isCalendarDay('2028-02-29')).toBe(true);
  });
});

describe('reminder mails', () => {
  const facts: ReminderFacts = {
    kind: 'DUE_SOON', borrowerName: 'Ada <Lovelace>', lenderName: 'Grace "Amazing" Hopper', itemName: 'Drill & bits', quantity: 2,
    dueDate: '2026-12-24', day: '2026-12-21', loanedAt: '2026-12-01T10:00:00.000Z', workspaceName: 'Home <b>',
  };

  it('say who lent what in the subject, and every fact in both parts, escaped in the HTML', () => {
    const mail = loanReminderMail('ada@example.test', 'en', facts);
    expect(mail.to).toBe('ada@example.test');
    expect(mail.subject).toBe('Grace "Amazing" Hopper lent you 2 × Drill & bits: please return it by Thursday 24 December 2026');
    for (const fact of ['Ada <Lovelace>', 'Grace "Amazing" Hopper', 'Drill & bits', 'Thursday 24 December 2026', 'Home <b>', 'Tuesday 1 December 2026', 'in 3 days']) {
      expect(mail.text).toContain(fact);
    }
    expect(mail.text).toMatch(/^Quantity: 2$/m);
    expect(mail.html).not.toMatch(/<Lovelace>|<b>|& bits|"Amazing"/);
    for (const fact of ['Ada &lt;Lovelace&gt;', 'Grace &quot;Amazing&quot; Hopper', 'Drill &amp; bits', 'Home &lt;b&gt;', 'Thursday 24 December 2026']) expect(mail.html).toContain(fact);
  });

  it('word the day: today, tomorrow, a date; overdue says how long ago', () => {
    expect(loanReminderMail('a@b.c', 'en', { ...facts, day: '2026-12-24', quantity: 1 }).subject).toBe('Grace "Amazing" Hopper lent you Drill & bits: please return it today');
    expect(loanReminderMail('a@b.c', 'en', { ...facts, day: '2026-12-23' }).subject).toMatch(/please return it by tomorrow$/);
    const overdue = loanReminderMail('a@b.c', 'en', { ...facts, kind: 'OVERDUE', day: '2027-01-01' });
    expect(overdue.subject).toBe('Grace "Amazing" Hopper lent you 2 × Drill & bits: it was due back on Thursday 24 December 2026');
    expect(overdue.text).toContain('It was due back on Thursday 24 December 2026, 8 days ago.');
  });

  it('fall back to English for a language without templates', () => {
    expect(loanReminderMail('a@b.c', 'xx', facts)).toEqual(loanReminderMail('a@b.c', 'en', facts));
    expect(loanReminderMail('a@b.c', undefined, facts)).toEqual(loanReminderMail('a@b.c', 'en', facts));
  });

  it("carry the borrower's page of the loan when given one, in both parts", () => {
    const link = 'https://api.example.com/b/abc?x=1&y=2';
    const mail = loanReminderMail('a@b.c', 'en', { ...facts, link });
    expect(mail.text).toContain(`on this page (no sign-in needed):\n${link}\n`);
    expect(mail.html).toContain('<a href="https://api.example.com/b/abc?x=1&amp;y=2">Returned it, or need more time?</a>');
    expect(loanReminderMail('a@b.c', 'en', facts).text).not.toContain('/b/');
  });

  it('tell the lender whether the borrower was mailed, and why not', () => {
    expect(loanReminderNotification('en', facts, 'mailed')).toEqual({ title: 'Due in 3 days: Drill & bits', message: 'Ada <Lovelace> has 2 × Drill & bits until Thursday 24 December 2026. We mailed them a reminder.' });
    expect(loanReminderNotification('en', { ...facts, kind: 'OVERDUE', day: '2026-12-25' }, 'no_email').message).toMatch(/\(1 day ago\)\. They have no email address, so no reminder was mailed\.$/);
    expect(loanReminderNotification('en', facts, 'undeliverable').message).toMatch(/Mail to their address does not arrive \(SES reported it undeliverable\), so no reminder was mailed; ask Ada <Lovelace> for another address\.$/);
  });

  it('are recorded pending with the mail, or skipped without an address', () => {
    const base = { workspaceId: 'w', loanId: 'l', borrowerId: 'b', lenderId: 'u', facts, now: new Date('2026-12-21T09:00:00Z') };
    const mailed = reminderRecord({ ...base, mail: loanReminderMail('a@b.c', 'en', facts) });
    expect(mailed).toMatchObject({ PK: 'WS#w#REMINDERS', SK: 'l#DUE_SOON#2026-12-24', entity: 'LOAN_REMINDER', status: 'pending', attempts: 0, to: 'a@b.c', due_date: '2026-12-24', day: '2026-12-21' });
    expect(mailed.ttl).toBe(Date.parse('2026-12-21T00:00:00Z') / 1000 + 90 * 86_400);
    const skipped = reminderRecord(base);
    expect(skipped).toMatchObject({ status: 'skipped', skip_reason: 'no_email' });
    expect(skipped).not.toHaveProperty('to');
  });
});

describe('stranded mails', () => {
  const now = new Date('2026-12-24T09:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  it('are the unsent ones left past a lease: sending with an old claim, or pending and untouched', () => {
    expect(isStranded({ to: 'a@b.c', status: 'sending', claimed_at: ago(claimLeaseMs + 1) }, now)).toBe(true);
    expect(isStranded({ to: 'a@b.c', status: 'sending', claimed_at: ago(1000) }, now)).toBe(false);
    expect(isStranded({ to: 'a@b.c', status: 'pending', created_at: ago(claimLeaseMs + 1) }, now)).toBe(true);
    expect(isStranded({ to: 'a@b.c', status: 'pending', created_at: ago(claimLeaseMs + 1), last_error_at: ago(1000) }, now)).toBe(false);
    expect(isStranded({ to: 'a@b.c', status: 'pending', created_at: ago(claimLeaseMs + 1), redriven_at: ago(1000) }, now)).toBe(false);
    for (const status of ['sent', 'failed', 'skipped']) expect(isStranded({ to: 'a@b.c', status, created_at: ago(10 * claimLeaseMs) }, now)).toBe(false);
    expect(isStranded({ status: 'pending', created_at: ago(10 * claimLeaseMs) }, now)).toBe(false);
  });
});

describe('reminder settings', () => {
  it('default to daily 09:00 UTC, 3 days ahead, 13 overdue reminders; out-of-range values are refused', () => {
    expect(loanReminderSettings({})).toEqual({ schedule: 'cron(0 9 * * ? *)', dueSoonDays: 3, overdueLimit: 13 });
    const set = { LOAN_REMINDER_SCHEDULE: 'cron(30 7 * * ? *)', LOAN_REMINDER_DUE_SOON_DAYS: '0', LOAN_REMINDER_OVERDUE_LIMIT: '1' };
    expect(() => loadConfig(set)).not.toThrow();
    expect(loanReminderSettings(set)).toEqual({ schedule: 'cron(30 7 * * ? *)', dueSoonDays: 0, overdueLimit: 1 });
    for (const env of [{ LOAN_REMINDER_DUE_SOON_DAYS: '31' }, { LOAN_REMINDER_DUE_SOON_DAYS: '-1' }, { LOAN_REMINDER_OVERDUE_LIMIT: '0' }, { LOAN_REMINDER_SCHEDULE: 'daily' }]) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(/Invalid configuration: LOAN_REMINDER_/);
    }
  });
});

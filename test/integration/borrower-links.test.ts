// Borrower links (issue 9) over real HTTP, against a runtime of this file's own started with a
// signing secret the test knows (the shared runtime's is random and in memory), so links can be
// signed here through the product's own module, with any expiry. Cases: the page shows the loan
// and nothing else; "I have returned it" notifies the lender once however often it is posted, and
// the loan stays open; "I need more time" notifies with the date (once per date), a date out of
// bounds shows the form again, and the lender accepts through the extend route; altered, foreign,
// expired links and a returned loan's answer a plain 4xx page, never another loan's data; form
// posts are limited per client address (429); the page in headless Chromium: labelled forms, a
// screenshot (in a temporary folder), and a real submit.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from './support/api.js';
import { conformanceProblems } from './support/conformance.js';
import { Browser, chromiumFlags } from './support/chromium.js';
import { rawCall } from './support/raw-http.js';
import { isAlive, runtimePorts, startRuntime, type RuntimeProcess } from './runtime-process.js';

type Links = typeof import('../../shared/domain/loans/borrower-links.js');

const secret = `borrower-links-test-secret-${randomBytes(16).toString('hex')}`;
let runtime: RuntimeProcess;
let base = '';
let links: Links;

beforeAll(async () => {
  runtime = await startRuntime({ env: { ...(await runtimePorts()), JWT_SECRET: secret }, args: ['--in-memory'] });
  base = runtime.state.api.replace(/\/+$/, '');
  // The product's module, configured as the runtime is: its config is read when first imported.
  process.env.JWT_SECRET = secret;
  process.env.PUBLIC_URL = base;
  links = await import('../../shared/domain/loans/borrower-links.js');
}, 150_000);

afterAll(async () => {
  if (runtime && isAlive(runtime.state.pids.runtime)) await runtime.stop('SIGINT');
  if (runtime && isAlive(runtime.state.pids.dynamodb)) process.kill(runtime.state.pids.dynamodb, 'SIGKILL');
}, 60_000);

// ---- calls to this file's runtime, each checked against the served OpenAPI document

/** A client address of its own (every 127.x.y.z is the loopback), so this test's posts count alone. */
const freshAddress = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

async function api(method: string, path: string, options: { token?: string; body?: unknown; form?: Record<string, string>; localAddress?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
  const answer = await rawCall(method, path, {
    baseUrl: base,
    ...(options.token ? { token: options.token } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.form ? { rawBody: new URLSearchParams(options.form).toString() } : {}),
    headers: { ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } : {}), ...options.headers },
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const url = new URL(base + path);
  expect(await conformanceProblems({ method, url, status: answer.status, headers: answer.headers, text: answer.text }), `${method} ${path}: answer not described by the OpenAPI document`).toEqual([]);
  return answer;
}

function ok(answer: ApiResponse, status = 200): ApiResponse {
  expect(answer.status, answer.text).toBe(status);
  return answer;
}

const page = (token: string) => api('GET', `/b/${token}`, { headers: { accept: 'text/html' } });
const claimReturn = (token: string, localAddress?: string) => api('POST', `/b/${token}/returned`, { form: {}, ...(localAddress ? { localAddress } : {}) });
const askExtension = (token: string, date: string, localAddress?: string) =>
  api('POST', `/b/${token}/extension`, { form: { proposed_due_date: date }, ...(localAddress ? { localAddress } : {}) });

const dayAfter = (days: number, from = new Date()) => new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);

interface World {
  lender: { token: string; userId: string };
  workspace: { id: string; name: string };
  loan: Record<string, any>;
  /** another loan of the same workspace, to another borrower: never to be seen through the first one's link */
  other: Record<string, any>;
  token: string;
  otherToken: string;
}

async function makeWorld(): Promise<World> {
  const tag = randomBytes(4).toString('hex');
  const email = `lender-${tag}@example.test`;
  ok(await api('POST', '/auth/register', { body: { email, full_name: 'Ada Lovelace-Byron', password: 'long enough pw' } }), 201);
  const session = ok(await api('POST', '/auth/login', { body: { email, password: 'long enough pw' } })).json;
  const token = session.token as string;
  const workspace = ok(await api('POST', '/workspaces', { token, body: { name: `Byron house ${tag}`, slug: `byron-${tag}` } }), 201).json;
  const ws = `/workspaces/${workspace.id}`;
  const post = async (path: string, body: Record<string, unknown>) => ok(await api('POST', `${ws}${path}`, { token, body }), 201).json;
  const shed = await post('/locations', { name: 'Shed' });
  const drill = await post('/items', { name: 'Cordless drill' });
  const ladder = await post('/items', { name: 'Folding ladder' });
  const drills = await post('/inventory', { item_id: drill.id, location_id: shed.id, quantity: 5 });
  const ladders = await post('/inventory', { item_id: ladder.id, location_id: shed.id, quantity: 1 });
  const grace = await post('/borrowers', { name: 'Grace Hopper', email: `grace-${tag}@example.test` });
  const alan = await post('/borrowers', { name: 'Alan Turing' });
  const loan = await post('/loans', { inventory_id: drills.id, borrower_id: grace.id, quantity: 2, due_date: dayAfter(10), notes: 'secret note about the drill' });
  const other = await post('/loans', { inventory_id: ladders.id, borrower_id: alan.id, quantity: 1, due_date: dayAfter(5), notes: 'secret note about the ladder' });
  const sign = (of: Record<string, any>) => links.signBorrowerLink({
    workspaceId: workspace.id, loanId: of.id, borrowerId: of.borrower_id, expiresAt: links.borrowerLinkExpiry(of),
  }, secret);
  return { lender: { token, userId: session.user.id }, workspace, loan, other, token: sign(loan), otherToken: sign(other) };
}

/** The lender's notifications of one type about one loan. */
async function notificationsOf(world: World, type: string, loanId = world.loan.id): Promise<Record<string, any>[]> {
  const list = ok(await api('GET', '/notifications', { token: world.lender.token, headers: { accept: 'application/json' } })).json.items as Record<string, any>[];
  return list.filter((notification) => notification.notification_type === type && notification.metadata?.loan_id === loanId);
}

/** What no page of the first loan's link may ever show: the other loan, notes, surnames, emails. */
function expectNothingElse(html: string, world: World) {
  for (const text of ['Folding ladder', 'Alan Turing', 'secret note', 'Lovelace', 'example.test', world.other.id, world.lender.userId]) {
    expect(html, `the page shows ${JSON.stringify(text)}`).not.toContain(text);
  }
}

/** The pages' policy: no script, posting only to themselves, never framed, never cached. */
function expectPageSecurity(answer: ApiResponse) {
  expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
  const policy = answer.headers.get('content-security-policy') ?? '';
  expect(policy).toContain("default-src 'none'");
  expect(policy).toContain("form-action 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/script-src|unsafe-inline|unsafe-eval/);
  expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.text).not.toMatch(/<script/i);
}

/** A refusal page: its status and code, no form, neither loan's data. */
function expectRefusalPage(answer: ApiResponse, status: number, code: string, world: World, label: string) {
  expect(answer.status, `${label}: ${answer.text}`).toBe(status);
  expect(answer.headers.get('x-problem-code'), label).toBe(code);
  expect(answer.headers.get('content-type'), label).toMatch(/^text\/html/);
  expect(answer.text, label).not.toMatch(/<form/i);
  expect(answer.text, label).not.toContain('Cordless drill');
  expectNothingElse(answer.text, world);
  expectPageSecurity(answer);
}

describe('borrower links', () => {
  it('borrowerLinkFor makes {PUBLIC_URL}/b/{token}; the page shows this loan (item, quantity, due date, lender\'s first name, workspace) with two labelled forms, and nothing else', async () => {
    const world = await makeWorld();
    const link = await links.borrowerLinkFor(world.loan as { id: string; workspace_id: string; borrower_id: string; due_date?: string });
    expect(link.startsWith(`${base}/b/`), link).toBe(true);
    const token = link.slice(`${base}/b/`.length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{114}$/);
    expect(links.verifyBorrowerLink(token, secret)).toMatchObject({ workspaceId: world.workspace.id, loanId: world.loan.id, borrowerId: world.loan.borrower_id });

    const answer = ok(await page(token));
    expectPageSecurity(answer);
    const html = answer.text;
    expect(html).toContain('<h1>You borrowed Cordless drill</h1>');
    expect(html).toContain('<dd id="item-name">Cordless drill</dd>');
    expect(html).toContain('<dd id="quantity">2</dd>');
    expect(html).toContain(`<dd id="due-date"><time datetime="${world.loan.due_date}">`);
    expect(html).toContain('<dd id="lender">Ada</dd>');
    expect(html).toContain(`<dd id="workspace-name">${world.workspace.name}</dd>`);
    expect(html).toContain(`<form method="post" action="${token}/returned">`);
    expect(html).toContain(`<form method="post" action="${token}/extension">`);
    expect(html).toContain('<label for="proposed_due_date">Keep it until</label>');
    expect(html).toMatch(new RegExp(`<input id="proposed_due_date" name="proposed_due_date" type="date" min="${dayAfter(11)}" max="${dayAfter(365)}" required`));
    expect(html).toContain('<button type="submit" aria-describedby="return-hint">I have returned it</button>');
    expect(html).toContain('<button type="submit">I need more time</button>');
    expectNothingElse(html, world);
    // the other loan's link shows the other loan
    const other = ok(await page(world.otherToken)).text;
    expect(other).toContain('<dd id="item-name">Folding ladder</dd>');
    expect(other).not.toContain('Cordless drill');
  });

  it('"I have returned it" tells the lender once (RETURN_CLAIMED), however often it is posted; the loan stays open', async () => {
    const world = await makeWorld();
    const address = freshAddress();
    const first = ok(await claimReturn(world.token, address));
    expectPageSecurity(first);
    expect(first.text).toContain('<h1>Thank you</h1>');
    expect(first.text).toContain('We told Ada that you returned Cordless drill.');
    const second = ok(await claimReturn(world.token, address));
    expect(second.text).toMatch(/Ada was told already \(on <time datetime="\d{4}-\d{2}-\d{2}">/);

    const claimed = await notificationsOf(world, 'RETURN_CLAIMED');
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({
      user_id: world.lender.userId, workspace_id: world.workspace.id, is_read: false,
      metadata: { loan_id: world.loan.id, borrower_id: world.loan.borrower_id, inventory_id: world.loan.inventory_id },
    });
    expect(claimed[0]!.message).toContain('Grace Hopper says they have returned 2 × Cordless drill');
    // nobody else's loan was touched, and this one is still out
    expect(await notificationsOf(world, 'RETURN_CLAIMED', world.other.id)).toEqual([]);
    const loan = ok(await api('GET', `/workspaces/${world.workspace.id}/loans/${world.loan.id}`, { token: world.lender.token })).json;
    expect(loan).toMatchObject({ is_active: true, quantity: 2 });
    expect(loan.returned_at).toBeUndefined();
    // the page now says so instead of offering the button again
    const after = ok(await page(world.token)).text;
    expect(after).toMatch(/<p role="status" id="return-claimed">You told Ada on <time/);
    expect(after).not.toContain('action="' + world.token + '/returned"');
    expect(after).toContain(`action="${world.token}/extension"`);
  });

  it('"I need more time" tells the lender the date (EXTENSION_REQUESTED, once per date); a date out of bounds shows the form again; the lender accepts with the extend route', async () => {
    const world = await makeWorld();
    const address = freshAddress();
    const wanted = dayAfter(20);
    const asked = ok(await askExtension(world.token, wanted, address));
    expectPageSecurity(asked);
    expect(asked.text).toContain('<h1>Request sent</h1>');
    expect(asked.text).toContain(`<time datetime="${wanted}">`);
    ok(await askExtension(world.token, wanted, address)); // the same again: nobody told twice
    let requested = await notificationsOf(world, 'EXTENSION_REQUESTED');
    expect(requested).toHaveLength(1);
    expect(requested[0]!.metadata).toMatchObject({ loan_id: world.loan.id, proposed_due_date: wanted, due_date: world.loan.due_date });
    expect(requested[0]!.message).toContain(`until ${wanted}`);

    // before the due date, a day that does not exist, a year and more away: the form again, 422, nobody told
    for (const [date, reason] of [[dayAfter(3), /Choose \d{4}-\d{2}-\d{2} or later/], ['2027-02-30', /Choose a date/], [dayAfter(400), /within a year/], ['', /Choose a date/]] as const) {
      const refused = await askExtension(world.token, date, address);
      expect(refused.status, `${date}: ${refused.text}`).toBe(422);
      expect(refused.headers.get('x-problem-code')).toBe('VALIDATION_FAILED');
      expect(refused.text).toMatch(new RegExp(`<p class="error" role="alert" id="extension-error">[^<]*${reason.source}`));
      expect(refused.text).toContain('<form method="post" action="extension" aria-describedby="extension-error">');
      expectPageSecurity(refused);
    }
    expect(await notificationsOf(world, 'EXTENSION_REQUESTED')).toHaveLength(1);

    // another date is another request
    ok(await askExtension(world.token, dayAfter(15), address));
    requested = await notificationsOf(world, 'EXTENSION_REQUESTED');
    expect(requested.map((notification) => notification.metadata.proposed_due_date).sort()).toEqual([dayAfter(15), wanted]);

    // the lender accepts through the normal extend route; the page shows the new date
    const extended = ok(await api('PATCH', `/workspaces/${world.workspace.id}/loans/${world.loan.id}/extend`, { token: world.lender.token, body: { new_due_date: wanted } })).json;
    expect(extended.due_date).toBe(wanted);
    expect(ok(await page(world.token)).text).toContain(`<dd id="due-date"><time datetime="${wanted}">`);
  });

  it('an altered, foreign or expired link, and a returned loan\'s, answer a plain 4xx page and never another loan', async () => {
    const world = await makeWorld();
    const address = freshAddress();
    const { token } = world;
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const bytes = Buffer.from(token, 'base64url');
    const otherBytes = Buffer.from(world.otherToken, 'base64url');
    // the other loan's id and borrower under this link's signature
    const swapped = Buffer.concat([bytes.subarray(0, 17), otherBytes.subarray(17, 49), bytes.subarray(49)]).toString('base64url');
    const wrongSecret = links.signBorrowerLink({ workspaceId: world.workspace.id, loanId: world.other.id, borrowerId: world.other.borrower_id, expiresAt: new Date(Date.now() + 86_400_000) }, `${secret}-not`);
    // signed for real, but the loan's borrower is another one
    const wrongBorrower = links.signBorrowerLink({ workspaceId: world.workspace.id, loanId: world.loan.id, borrowerId: world.other.borrower_id, expiresAt: new Date(Date.now() + 86_400_000) }, secret);
    // a later expiry with the old signature
    const later = Buffer.from(bytes);
    later.writeUInt32BE(later.readUInt32BE(49) + 86_400, 49);
    for (const [label, bad] of [
      ['a changed signature', flip(token, 100)], ['a changed loan id', flip(token, 30)], ['the other loan\'s ids under this signature', swapped],
      ['signed with another secret', wrongSecret], ['the wrong borrower', wrongBorrower], ['a later expiry', later.toString('base64url')],
      ['cut short', token.slice(0, 80)], ['one character more', `${token}A`], ['not base64url', 'x'.repeat(114)],
    ] as const) {
      expectRefusalPage(await page(bad), 404, 'BORROWER_LINK_INVALID', world, `GET, ${label}`);
      expectRefusalPage(await claimReturn(bad, address), 404, 'BORROWER_LINK_INVALID', world, `POST returned, ${label}`);
      expectRefusalPage(await askExtension(bad, dayAfter(20), address), 404, 'BORROWER_LINK_INVALID', world, `POST extension, ${label}`);
    }

    // expired: signed through the module with a past expiry; the signature is right, the time is not
    const expired = links.signBorrowerLink({ workspaceId: world.workspace.id, loanId: world.loan.id, borrowerId: world.loan.borrower_id, expiresAt: new Date(Date.now() - 1000) }, secret);
    expect(links.borrowerLinkExpiry({ due_date: '2026-01-10' }).toISOString()).toBe('2026-02-10T00:00:00.000Z');
    expectRefusalPage(await page(expired), 403, 'BORROWER_LINK_EXPIRED', world, 'GET, expired');
    expectRefusalPage(await claimReturn(expired, address), 403, 'BORROWER_LINK_EXPIRED', world, 'POST returned, expired');
    expectRefusalPage(await askExtension(expired, dayAfter(20), address), 403, 'BORROWER_LINK_EXPIRED', world, 'POST extension, expired');
    expect((await page(expired)).text).toContain('expired');

    // none of it told the lender anything
    for (const loanId of [world.loan.id, world.other.id]) {
      expect(await notificationsOf(world, 'RETURN_CLAIMED', loanId)).toEqual([]);
      expect(await notificationsOf(world, 'EXTENSION_REQUESTED', loanId)).toEqual([]);
    }

    // the loan comes back: its link has served
    ok(await api('POST', `/workspaces/${world.workspace.id}/loans/${world.loan.id}/return`, { token: world.lender.token }));
    expectRefusalPage(await page(token), 409, 'LOAN_ALREADY_RETURNED', world, 'GET, returned');
    expectRefusalPage(await claimReturn(token, address), 409, 'LOAN_ALREADY_RETURNED', world, 'POST returned, returned');
    expectRefusalPage(await askExtension(token, dayAfter(20), address), 409, 'LOAN_ALREADY_RETURNED', world, 'POST extension, returned');
    expect(await notificationsOf(world, 'RETURN_CLAIMED')).toEqual([]);
    expect(await notificationsOf(world, 'EXTENSION_REQUESTED')).toEqual([]);
    // the other loan's link still works, and shows the other loan only
    const other = ok(await page(world.otherToken)).text;
    expect(other).toContain('Folding ladder');
    expect(other).not.toContain('Cordless drill');
  });

  it(`form posts are limited to ${20} per client address and window (429 with Retry-After); other addresses are not held up`, async () => {
    const world = await makeWorld();
    expect(links.borrowerLinkRules.maxPostsPerClient).toBe(20);
    const address = freshAddress();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 20; attempt += 1) {
      statuses.push((attempt % 2 === 0 ? await claimReturn(world.token, address) : await askExtension(world.token, dayAfter(20), address)).status);
    }
    expect(statuses).toEqual(Array(20).fill(200));
    for (const refused of [await claimReturn(world.token, address), await askExtension(world.token, dayAfter(21), address)]) {
      expect(refused.status, refused.text).toBe(429);
      expect(refused.headers.get('x-problem-code')).toBe('TOO_MANY_ATTEMPTS');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expectPageSecurity(refused);
    }
    // the refused request for a new date told nobody
    expect((await notificationsOf(world, 'EXTENSION_REQUESTED')).map((notification) => notification.metadata.proposed_due_date)).toEqual([dayAfter(20)]);
    // reading the page is not limited, and another address may still post
    ok(await page(world.token));
    ok(await askExtension(world.token, dayAfter(21), freshAddress()));
  });

  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path));
  if (!chromium) console.warn('NOTICE: no Chromium binary (/usr/bin/chromium); skipping the headless-browser test of the borrower page. Install it with `apt-get install -y chromium`.');

  it.skipIf(!chromium)('the page renders in headless Chromium on a phone-sized window with labelled forms, and its "I have returned it" works there', async () => {
    const world = await makeWorld();
    const url = `${base}/b/${world.token}`;
    const scratch = mkdtempSync(join(tmpdir(), 'borrower-links-chromium-'));
    try {
      const screenshot = join(scratch, 'borrower.png');
      const shot = spawnSync(chromium!, [...chromiumFlags(join(scratch, 'profile-shot')), `--screenshot=${screenshot}`, '--window-size=390,844', url], { timeout: 60_000, encoding: 'utf8' });
      expect(existsSync(screenshot), `no screenshot; chromium exited ${shot.status}:\n${shot.stderr}`).toBe(true);
      const png = readFileSync(screenshot);
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.readUInt32BE(16)).toBe(390); // IHDR width: the phone-sized window
      expect(png.length).toBeGreaterThan(5_000); // a page, not a blank

      const browser = await Browser.launch(chromium!, join(scratch, 'profile-cdp'));
      try {
        const tab = await browser.open(url);
        const shown = await tab.evaluate<Record<string, unknown>>(`({
          title: document.querySelector('h1').textContent,
          item: document.querySelector('#item-name').textContent,
          lender: document.querySelector('#lender').textContent,
          forms: [...document.forms].map((form) => form.method + ' ' + new URL(form.action).pathname),
          labelled: [...document.querySelectorAll('input')].map((input) => input.name + ':' + input.type + ':' + [...input.labels].map((label) => label.textContent).join()),
          buttons: [...document.querySelectorAll('button')].map((button) => button.textContent),
          scripts: document.scripts.length,
          buttonColour: getComputedStyle(document.querySelector('button')).backgroundColor,
          fitsWidth: document.documentElement.scrollWidth <= window.innerWidth,
        })`);
        expect(shown).toEqual({
          title: 'You borrowed Cordless drill', item: 'Cordless drill', lender: 'Ada',
          forms: [`post /b/${world.token}/returned`, `post /b/${world.token}/extension`],
          labelled: ['proposed_due_date:date:Keep it until'],
          buttons: ['I have returned it', 'I need more time'],
          scripts: 0, buttonColour: 'rgb(29, 78, 216)', fitsWidth: true,
        });
        const submitted = await tab.submit('form[action$="/returned"] button');
        expect(submitted).toEqual({ status: 200, method: 'POST' });
        const result = await tab.evaluate<{ title: string; path: string }>(`({ title: document.querySelector('h1').textContent, path: location.pathname })`);
        expect(result).toEqual({ title: 'Thank you', path: `/b/${world.token}/returned` });
      } finally {
        await browser.close();
      }
      expect(await notificationsOf(world, 'RETURN_CLAIMED')).toHaveLength(1);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

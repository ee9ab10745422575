// Sign-up, sign-in, tokens and password reset, over real HTTP against the local runtime.
import { describe, expect, it } from 'vitest';
import {
  call, expectProblem, expectStatus, jwtPayload, login, mailTo, refresh, register, signIn, signUp, uniqueEmail, waitForMail,
  type UserShape, type WorkspaceShape,
} from './support/api.js';
import { getItem, makeSuperuser, scanAll } from './support/table.js';

const problemOutline = (body: { status: number; title: string; detail: string; code: string }) =>
  ({ status: body.status, title: body.title, detail: body.detail, code: body.code });

describe('POST /auth/register', () => {
  it('creates the user (201), lower-cases the email and never shows the password hash', async () => {
    const email = uniqueEmail('Mixed.Case').replace('example.test', 'Example.TEST');
    const response = await call<UserShape>('POST', '/auth/register', { body: { email, full_name: 'Ada Lovelace', password: 'correct horse battery' } });
    expectStatus(response, 201);
    expect(response.json).toMatchObject({
      email: email.toLowerCase(), full_name: 'Ada Lovelace', is_superuser: false,
      date_format: 'YYYY-MM-DD', language: 'en', theme: 'system', version: 1,
    });
    expect(response.json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.text).not.toMatch(/password/i);
    expect(response.json).not.toHaveProperty('is_active');
  });

  it('refuses the same email in another case with 409 EMAIL_TAKEN and leaves nothing half-written', async () => {
    const local = `dup-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const first = await register({ email: `${local}@example.test` });
    const second = await call('POST', '/auth/register', {
      body: { email: `${local.toUpperCase()}@EXAMPLE.test`, full_name: 'Someone Else', password: 'another password' },
    });
    expectProblem(second, 409, 'EMAIL_TAKEN');

    // One guard, pointing at the first user; one user; one personal workspace with one member.
    const guard = await getItem({ PK: `UNIQUE#EMAIL#${local}@example.test`, SK: 'UNIQUE' });
    expect(guard?.user_id).toBe(first.id);
    const users = await scanAll({
      FilterExpression: 'entity = :user AND (email = :lower OR email = :upper)',
      ExpressionAttributeValues: { ':user': 'USER', ':lower': `${local}@example.test`, ':upper': `${local.toUpperCase()}@EXAMPLE.test` },
    });
    expect(users.map((user) => user.id)).toEqual([first.id]);
    const slugGuards = await scanAll({ FilterExpression: 'begins_with(PK, :prefix)', ExpressionAttributeValues: { ':prefix': `UNIQUE#SLUG#${local}-` } });
    expect(slugGuards).toHaveLength(1);
    const workspaces = await scanAll({
      FilterExpression: 'entity = :workspace AND begins_with(slug, :prefix)',
      ExpressionAttributeValues: { ':workspace': 'WORKSPACE', ':prefix': `${local}-` },
    });
    expect(workspaces).toHaveLength(1);
    expect(workspaces[0]!.created_by).toBe(first.id);
    const members = await scanAll({
      FilterExpression: 'entity = :member AND workspace_id = :id',
      ExpressionAttributeValues: { ':member': 'MEMBER', ':id': workspaces[0]!.id },
    });
    expect(members.map((member) => member.user_id)).toEqual([first.id]);
  });

  it('the same email registered several times at once: exactly one account', async () => {
    const email = uniqueEmail('race');
    const answers = await Promise.all([email, email.toUpperCase(), email].map((variant) =>
      call('POST', '/auth/register', { body: { email: variant, full_name: 'Racer', password: 'long enough pw' } })));
    expect(answers.map((answer) => (answer.status === 201 ? '201' : `${answer.status} ${answer.json?.code}`)).sort()).toEqual(['201', '409 EMAIL_TAKEN', '409 EMAIL_TAKEN']);
    const users = await scanAll({ FilterExpression: 'entity = :user AND email = :email', ExpressionAttributeValues: { ':user': 'USER', ':email': email } });
    expect(users).toHaveLength(1);
  });

  it('creates a personal workspace the new user owns', async () => {
    const user = await signUp();
    const list = expectStatus(await call<{ items: WorkspaceShape[] }>('GET', '/workspaces', { token: user.token }), 200);
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0]).toMatchObject({ is_personal: true, role: 'owner', name: 'Personal' });
  });

  it('refuses passwords shorter than 8 or longer than 128 characters (422 at body.password)', async () => {
    for (const password of ['seven77', 'x'.repeat(129)]) {
      const response = await call('POST', '/auth/register', { body: { email: uniqueEmail(), full_name: 'Short Pw', password } });
      const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
      expect(problem.errors?.map((error) => error.location)).toEqual(['body.password']);
    }
    // the limits themselves are fine
    await register({ password: '12345678' });
    await register({ password: 'y'.repeat(128) });
  });

  it('refuses unknown properties (422 naming the property)', async () => {
    const response = await call('POST', '/auth/register', {
      body: { email: uniqueEmail(), full_name: 'Extra', password: 'long enough', is_superuser: true },
    });
    const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((error) => error.location)).toContain('body.is_superuser');
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await call('POST', '/auth/register', { rawBody: '{"email": "a@example.test", ' });
    expectProblem(response, 400, 'MALFORMED_JSON');
  });
});

describe('POST /auth/login', () => {
  it('answers a session: access token (typ access, 15 minutes), refresh token and the user', async () => {
    const user = await register();
    const response = expectStatus(await login(user.email.toUpperCase(), user.password), 200);
    expect(response.json).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { id: user.id, email: user.email } });
    expect(typeof response.json.token).toBe('string');
    expect(typeof response.json.refresh_token).toBe('string');
    expect(response.text).not.toMatch(/password/i);
    const payload = jwtPayload(response.json.token);
    expect(payload).toMatchObject({ typ: 'access', sub: user.id });
    expect((payload.exp as number) - (payload.iat as number)).toBe(900);
    const me = expectStatus(await call<UserShape>('GET', '/users/me', { token: response.json.token }), 200);
    expect(me.json.id).toBe(user.id);
  });

  it('answers unknown email, wrong password and a deactivated account with the same 401 INVALID_CREDENTIALS', async () => {
    const admin = await signUp();
    await makeSuperuser(admin.id);
    const user = await register();
    const deactivated = await register();
    expectStatus(await call('POST', `/users/${deactivated.id}/deactivate`, { token: admin.token }), 204);

    const unknown = expectProblem(await login(uniqueEmail('nobody'), 'whatever password'), 401, 'INVALID_CREDENTIALS');
    const wrong = expectProblem(await login(user.email, 'not the password'), 401, 'INVALID_CREDENTIALS');
    const inactive = expectProblem(await login(deactivated.email, deactivated.password), 401, 'INVALID_CREDENTIALS');
    expect(problemOutline(wrong)).toEqual(problemOutline(unknown));
    expect(problemOutline(inactive)).toEqual(problemOutline(unknown));
  });

  it('throttles after 10 failures: the 11th attempt answers 429 with Retry-After, even with the right password', async () => {
    const user = await register();
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      expectProblem(await login(user.email, `wrong ${attempt}`), 401, 'INVALID_CREDENTIALS');
    }
    const throttled = await login(user.email, user.password);
    expectProblem(throttled, 429, 'TOO_MANY_ATTEMPTS');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // the count is per email, whatever its case
    expectProblem(await login(user.email.toUpperCase(), user.password), 429, 'TOO_MANY_ATTEMPTS');
  });

  it('resets the failure count on a successful sign-in', async () => {
    const user = await register();
    for (let attempt = 1; attempt <= 9; attempt += 1) expectProblem(await login(user.email, `wrong ${attempt}`), 401, 'INVALID_CREDENTIALS');
    expectStatus(await login(user.email, user.password), 200);
    // Without the reset these would be failures 10 to 18, and the next sign-in would be refused.
    for (let attempt = 1; attempt <= 9; attempt += 1) expectProblem(await login(user.email, `wrong again ${attempt}`), 401, 'INVALID_CREDENTIALS');
    expectStatus(await login(user.email, user.password), 200);
  });
});

describe('POST /auth/refresh and /auth/logout', () => {
  it('rotates: a refresh answers a new pair that works', async () => {
    const user = await signUp();
    const rotated = expectStatus(await refresh(user.refreshToken), 200);
    expect(rotated.json.refresh_token).not.toBe(user.refreshToken);
    expect(rotated.json).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { id: user.id } });
    expect(jwtPayload(rotated.json.token).typ).toBe('access');
    expectStatus(await call('GET', '/users/me', { token: rotated.json.token }), 200);
    // and the new refresh token rotates again
    expectStatus(await refresh(rotated.json.refresh_token), 200);
  });

  it('refuses a spent refresh token, and that reuse revokes the family: the newer token fails too', async () => {
    const user = await signUp();
    const rotated = expectStatus(await refresh(user.refreshToken), 200).json;
    expectProblem(await refresh(user.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expectProblem(await refresh(rotated.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    // a new sign-in starts a new family and works
    const again = await signIn(user);
    expectStatus(await refresh(again.refresh_token), 200);
  });

  it('the same refresh token presented twice at once: at most one answer, and the family is revoked', async () => {
    const user = await signUp();
    const answers = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners.length).toBeLessThanOrEqual(1);
    for (const loser of answers.filter((answer) => answer.status !== 200)) expectProblem(loser, 401, 'INVALID_REFRESH_TOKEN');
    for (const winner of winners) expectProblem(await refresh(winner.json.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('logout revokes the session: the refresh token is refused afterwards', async () => {
    const user = await signUp();
    const other = await signIn(user); // a second device, not signed out
    expectStatus(await call('POST', '/auth/logout', { body: { refresh_token: user.refreshToken } }), 204);
    expectProblem(await refresh(user.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expectStatus(await refresh(other.refresh_token), 200);
  });

  it('refuses an access token presented as a refresh token', async () => {
    const user = await signUp();
    expectProblem(await refresh(user.token), 401, 'INVALID_REFRESH_TOKEN');
    // and a refresh token is no access token
    expectProblem(await call('GET', '/users/me', { token: user.refreshToken }), 401, 'UNAUTHENTICATED');
  });
});

describe('password reset', () => {
  const resetLinkToken = (text: string | undefined) => {
    const match = /[?&]token=([^\s&"'<>]+)/.exec(text ?? '');
    return match ? decodeURIComponent(match[1]!) : undefined;
  };

  it('always answers 202; only an existing account gets a mail', async () => {
    const unknown = uniqueEmail('nobody');
    const unknownAnswer = await call('POST', '/auth/password-reset', { body: { email: unknown } });
    expectStatus(unknownAnswer, 202);
    const user = await register();
    const knownAnswer = await call('POST', '/auth/password-reset', { body: { email: user.email.toUpperCase() } });
    expectStatus(knownAnswer, 202);
    expect(knownAnswer.text).toBe(unknownAnswer.text);

    const mails = await waitForMail(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.destination.to).toEqual([user.email]);
    expect(mails[0]!.subject).toMatch(/reset/i);
    expect(resetLinkToken(mails[0]!.body.text)).toMatch(/^[\w-]{20,}$/);
    expect(mails[0]!.body.html).toContain('reset-password?token=');
    expect(await mailTo(unknown)).toEqual([]);
  });

  it('confirming sets the new password, works once, and signs out every earlier session and access token', async () => {
    const user = await signUp();
    expectStatus(await call('POST', '/auth/password-reset', { body: { email: user.email } }), 202);
    const [mail] = await waitForMail(user.email);
    const token = resetLinkToken(mail?.body.text);
    expect(token, `no reset link in ${JSON.stringify(mail)}`).toBeDefined();

    const newPassword = 'a brand new password';
    expectStatus(await call('POST', '/auth/password-reset/confirm', { body: { token, new_password: newPassword } }), 204);

    expectStatus(await login(user.email, newPassword), 200);
    expectProblem(await login(user.email, user.password), 401, 'INVALID_CREDENTIALS');
    const second = expectProblem(await call('POST', '/auth/password-reset/confirm', { body: { token, new_password: 'yet another one' } }), 422, 'RESET_TOKEN_INVALID');
    expect(second.errors?.[0]?.location).toBe('body.token');
    expectProblem(await refresh(user.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expectProblem(await call('GET', '/users/me', { token: user.token }), 401, 'UNAUTHENTICATED');
    // the password did not change a second time
    expectStatus(await login(user.email, newPassword), 200);
  });

  it('refuses a forged token with 422 RESET_TOKEN_INVALID', async () => {
    const forged = Buffer.from('not a token this server ever gave out').toString('base64url');
    expectProblem(await call('POST', '/auth/password-reset/confirm', { body: { token: forged, new_password: 'long enough pw' } }), 422, 'RESET_TOKEN_INVALID');
  });
});

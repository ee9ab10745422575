// The signed-in user's account, and superuser administration of users.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, expectStatus, login, refresh, register, signIn, signUp, type UserShape } from './support/api.js';
import { makeSuperuser } from './support/table.js';

async function superuser() {
  const admin = await signUp();
  await makeSuperuser(admin.id);
  return admin;
}

describe('GET /users/me', () => {
  it('answers the signed-in user', async () => {
    const user = await signUp();
    const me = expectStatus(await call<UserShape>('GET', '/users/me', { token: user.token }), 200);
    expect(me.json).toEqual(user.user);
    expect(me.text).not.toMatch(/password/i);
  });

  it('without a token, or with a bad one, answers 401 UNAUTHENTICATED as problem+json', async () => {
    for (const token of [undefined, 'not-a-jwt', `${(await signUp()).token}x`]) {
      const response = await call('GET', '/users/me', { token });
      expectProblem(response, 401, 'UNAUTHENTICATED');
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('PATCH /users/me and /users/me/preferences', () => {
  it('changes the full name only', async () => {
    const user = await signUp();
    const updated = expectStatus(await call<UserShape>('PATCH', '/users/me', { token: user.token, body: { full_name: '  Grace Hopper ' } }), 200);
    expect(updated.json).toMatchObject({ full_name: 'Grace Hopper', email: user.email, version: user.user.version + 1 });
    const me = expectStatus(await call<UserShape>('GET', '/users/me', { token: user.token }), 200);
    expect(me.json.full_name).toBe('Grace Hopper');
  });

  it('changes preferences to known values', async () => {
    const user = await signUp();
    const updated = expectStatus(await call<UserShape>('PATCH', '/users/me/preferences', {
      token: user.token, body: { theme: 'dark', language: 'fi', date_format: 'DD.MM.YYYY' },
    }), 200);
    expect(updated.json).toMatchObject({ theme: 'dark', language: 'fi', date_format: 'DD.MM.YYYY', full_name: user.fullName });
    // a partial change leaves the rest alone
    const partial = expectStatus(await call<UserShape>('PATCH', '/users/me/preferences', { token: user.token, body: { theme: 'light' } }), 200);
    expect(partial.json).toMatchObject({ theme: 'light', language: 'fi', date_format: 'DD.MM.YYYY' });
  });

  it('refuses unknown preference values with 422 at the field', async () => {
    const user = await signUp();
    const problem = expectProblem(await call('PATCH', '/users/me/preferences', { token: user.token, body: { theme: 'neon' } }), 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((error) => error.location)).toEqual(['body.theme']);
    const me = expectStatus(await call<UserShape>('GET', '/users/me', { token: user.token }), 200);
    expect(me.json.theme).toBe('system');
  });
});

describe('PATCH /users/me/password', () => {
  it('refuses a wrong current password with 422 CURRENT_PASSWORD_INCORRECT', async () => {
    const user = await signUp();
    const problem = expectProblem(await call('PATCH', '/users/me/password', {
      token: user.token, body: { current_password: 'not it at all', new_password: 'a new password' },
    }), 422, 'CURRENT_PASSWORD_INCORRECT');
    expect(problem.errors?.[0]?.location).toBe('body.current_password');
    expectStatus(await login(user.email, user.password), 200);
  });

  it('changes the password and signs out every other session; this one stays signed in', async () => {
    const user = await signUp();
    const otherDevice = await signIn(user);
    const newPassword = 'the new password';
    expectStatus(await call('PATCH', '/users/me/password', { token: user.token, body: { current_password: user.password, new_password: newPassword } }), 204);

    expectProblem(await refresh(otherDevice.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expectStatus(await call('GET', '/users/me', { token: user.token }), 200);
    expectStatus(await refresh(user.refreshToken), 200);
    expectProblem(await login(user.email, user.password), 401, 'INVALID_CREDENTIALS');
    expectStatus(await login(user.email, newPassword), 200);
  });
});

describe('superuser administration', () => {
  it('refuses non-superusers with 403 SUPERUSER_REQUIRED on every superuser route', async () => {
    const user = await signUp();
    const other = await register();
    for (const [method, path] of [
      ['GET', '/users'], ['GET', `/users/${other.id}`], ['POST', `/users/${other.id}/deactivate`], ['POST', `/users/${other.id}/activate`],
    ] as const) {
      expectProblem(await call(method, path, { token: user.token }), 403, 'SUPERUSER_REQUIRED');
    }
    expectStatus(await login(other.email, other.password), 200);
  });

  it('lists every user newest first, one page at a time, without duplicates', async () => {
    const admin = await superuser();
    const created = [await register(), await register(), await register()];
    const seen: { id: string; created_at: string; is_active: boolean }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    // Newer users (other tests register in parallel) come first; ours follow within a few pages.
    while (pages < 2000 && !created.every((user) => seen.some((item) => item.id === user.id))) {
      const page = expectStatus(await call<{ items: typeof seen; next_cursor?: string }>('GET', '/users', { token: admin.token, query: { limit: 1, cursor } }), 200);
      expect(page.json.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.json.items);
      pages += 1;
      cursor = page.json.next_cursor;
      if (!cursor) break;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length);
    const order = created.map((user) => seen.findIndex((item) => item.id === user.id));
    expect(order.every((index) => index >= 0), 'all three new users were listed').toBe(true);
    expect(order).toEqual([...order].sort((a, b) => b - a)); // newest first
    for (let i = 1; i < seen.length; i += 1) expect(seen[i - 1]!.created_at >= seen[i]!.created_at).toBe(true);
    expect(seen.every((item) => typeof item.is_active === 'boolean')).toBe(true);
    expect(JSON.stringify(seen)).not.toMatch(/password/i);
  });

  it('refuses the old `page` parameter with a 422 that points to `cursor`', async () => {
    const admin = await superuser();
    const problem = expectProblem(await call('GET', '/users', { token: admin.token, query: { page: 2 } }), 422, 'VALIDATION_FAILED');
    expect(problem.errors?.some((error) => error.location === 'query.page' && /cursor/.test(error.message))).toBe(true);
  });

  it('reads one user, with is_active; an unknown id is 404', async () => {
    const admin = await superuser();
    const user = await register();
    const found = expectStatus(await call<UserShape>('GET', `/users/${user.id}`, { token: admin.token }), 200);
    expect(found.json).toMatchObject({ id: user.id, email: user.email, is_active: true, is_superuser: false });
    expect(found.text).not.toMatch(/password/i);
    expectProblem(await call('GET', `/users/${randomUUID()}`, { token: admin.token }), 404, 'NOT_FOUND');
    expectProblem(await call('POST', `/users/${randomUUID()}/deactivate`, { token: admin.token }), 404, 'NOT_FOUND');
  });

  it('deactivation refuses the user at once (next request, refresh, login); activation lets them sign in again', async () => {
    const admin = await superuser();
    const user = await signUp();
    expectStatus(await call('GET', '/users/me', { token: user.token }), 200);

    expectStatus(await call('POST', `/users/${user.id}/deactivate`, { token: admin.token }), 204);
    expectProblem(await call('GET', '/users/me', { token: user.token }), 401, 'USER_DEACTIVATED');
    expectProblem(await call('GET', '/workspaces', { token: user.token }), 401, 'USER_DEACTIVATED');
    expectProblem(await refresh(user.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expectProblem(await login(user.email, user.password), 401, 'INVALID_CREDENTIALS');
    const shown = expectStatus(await call<UserShape>('GET', `/users/${user.id}`, { token: admin.token }), 200);
    expect(shown.json.is_active).toBe(false);

    expectStatus(await call('POST', `/users/${user.id}/activate`, { token: admin.token }), 204);
    const session = expectStatus(await login(user.email, user.password), 200).json;
    expectStatus(await call('GET', '/users/me', { token: session.token }), 200);
    // tokens issued before the deactivation stay void
    expectProblem(await call('GET', '/users/me', { token: user.token }), 401, 'UNAUTHENTICATED');
    expectProblem(await refresh(user.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('refuses to deactivate yourself with 409 CANNOT_DEACTIVATE_SELF', async () => {
    const admin = await superuser();
    expectProblem(await call('POST', `/users/${admin.id}/deactivate`, { token: admin.token }), 409, 'CANNOT_DEACTIVATE_SELF');
    expectStatus(await call('GET', '/users/me', { token: admin.token }), 200);
  });
});

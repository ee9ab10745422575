// Sign-up, sign-in and tokens. Public routes: the body carries the credentials.
import * as z from 'zod/mini';
import { document, route } from './route.js';
import { example, IntOut, named } from './common.js';
import { secretText } from './text.js';
import { Email, FullName, Password, User, userExample } from './users.js';

const RefreshToken = /* @__PURE__ */ secretText({ min: 20, max: 512 });

export const Session = /* @__PURE__ */ named('Session', z.object({
  token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  /** seconds until `token` expires */
  expires_in: IntOut,
  user: User,
}), 'A signed-in session: a 15-minute access token and a single-use 30-day refresh token.');
DOCS: example(Session, {
  token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0eXAiOiJhY2Nlc3MiLCJzaWQiOiIuLi4ifQ.c2lnbmF0dXJl',
  refresh_token: 'rt1.0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b.0193a5e2-7c1a-7b3e-9f00-eeeeeeeeeeee.0.M2Y0YjVjNmQ3ZThmOWEwYjFjMmQzZTRmNWE2Yjdj',
  token_type: 'Bearer', expires_in: 900, user: userExample,
});

const refreshTokenExample = { refresh_token: 'rt1.0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b.0193a5e2-7c1a-7b3e-9f00-eeeeeeeeeeee.0.M2Y0YjVjNmQ3ZThmOWEwYjFjMmQzZTRmNWE2Yjdj' };

export const register = /* @__PURE__ */ route({
  id: 'register', method: 'POST', path: '/auth/register', domain: 'auth', access: 'public',
  summary: 'Create an account and its personal workspace',
  body: z.strictObject({ email: Email, full_name: FullName, password: Password }),
  response: User, status: 201, errors: ['EMAIL_TAKEN'], location: '/users/me',
});
DOCS: document(register, { body: { email: 'ada@example.com', full_name: 'Ada Lovelace', password: 'correct horse battery' } });

export const login = /* @__PURE__ */ route({
  id: 'login', method: 'POST', path: '/auth/login', domain: 'auth', access: 'public',
  summary: 'Sign in with email and password',
  description: 'Unknown email, wrong password and a deactivated account all answer the same 401. Repeated failures for one email answer 429 with Retry-After.',
  body: z.strictObject({ email: Email, password: secretText({ max: 128 }) }),
  response: Session, status: 200, errors: ['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'], grants: { signingSecret: true },
});
DOCS: document(login, { body: { email: 'ada@example.com', password: 'correct horse battery' } });

export const refresh = /* @__PURE__ */ route({
  id: 'refresh', method: 'POST', path: '/auth/refresh', domain: 'auth', access: 'public',
  summary: 'Trade a refresh token for a new pair (the old one is spent)',
  description: 'Each refresh token works once. Presenting a spent one revokes its whole session family, the legitimate holder included.',
  body: z.strictObject({ refresh_token: RefreshToken }), response: Session, status: 200, errors: ['INVALID_REFRESH_TOKEN'], grants: { signingSecret: true },
});
DOCS: document(refresh, { body: refreshTokenExample });

export const logout = /* @__PURE__ */ route({
  id: 'logout', method: 'POST', path: '/auth/logout', domain: 'auth', access: 'public',
  summary: 'Sign out: revokes the session family of this refresh token',
  body: z.strictObject({ refresh_token: RefreshToken }), status: 204,
});
DOCS: document(logout, { body: refreshTokenExample });

export const requestPasswordReset = /* @__PURE__ */ route({
  id: 'requestPasswordReset', method: 'POST', path: '/auth/password-reset', domain: 'auth', access: 'public',
  summary: 'Mail a password-reset link (always 202, whether or not the account exists)',
  body: z.strictObject({ email: Email }), status: 202,
});
DOCS: document(requestPasswordReset, { body: { email: 'ada@example.com' } });

export const confirmPasswordReset = /* @__PURE__ */ route({
  id: 'confirmPasswordReset', method: 'POST', path: '/auth/password-reset/confirm', domain: 'auth', access: 'public',
  summary: 'Set a new password with the mailed token (signs out every session)',
  body: z.strictObject({ token: secretText({ min: 20, max: 200 }), new_password: Password }),
  status: 204, errors: ['RESET_TOKEN_INVALID'],
});
DOCS: document(confirmPasswordReset, { body: { token: 'q0fC3yM1c8TzX2rN5bV7wK9pL4hJ6gD0sA1eF3iU5oY', new_password: 'a brand new secret' } });

const ResetToken = /* @__PURE__ */ secretText({ min: 20, max: 200 });

export const resetPasswordPage = /* @__PURE__ */ route({
  id: 'resetPasswordPage', method: 'GET', path: '/reset-password', domain: 'auth', access: 'public',
  summary: 'The page a reset link opens when no PWA is configured: a form for the new password',
  description: 'Plain HTML, no script. Answers the form for a valid token, and a page saying the link is invalid, used or expired (422) otherwise.',
  query: z.object({ token: ResetToken }), status: 200, produces: 'text/html', errors: ['RESET_TOKEN_INVALID'], grants: { table: 'read' },
});

export const resetPasswordForm = /* @__PURE__ */ route({
  id: 'resetPasswordForm', method: 'POST', path: '/reset-password', domain: 'auth', access: 'public',
  summary: 'The reset page\'s form: sets the new password and answers a page saying so',
  description: 'Takes the HTML form of GET /reset-password (application/x-www-form-urlencoded). A password that does not fit the rules, or two that differ, answer the form again with the reason (422).',
  consumes: 'application/x-www-form-urlencoded',
  body: z.strictObject({ token: ResetToken, new_password: secretText({ min: 0, max: 1024 }), confirm_password: secretText({ min: 0, max: 1024 }) }),
  status: 200, produces: 'text/html', errors: ['RESET_TOKEN_INVALID'],
});
DOCS: document(resetPasswordForm, { body: { token: 'q0fC3yM1c8TzX2rN5bV7wK9pL4hJ6gD0sA1eF3iU5oY', new_password: 'a brand new secret', confirm_password: 'a brand new secret' } });

// Sign-up, sign-in, tokens and password reset.
import * as contract from '../../shared/contract/auth.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as auth from '../../shared/domain/auth/service.js';
import { rawReply, Reply } from '../../shared/http/route.js';
import { Password } from '../../shared/contract/users.js';
import { ResetTokenInvalid } from '../../shared/domain/auth/errors.js';
import { resetDonePage, resetFormPage } from '../../shared/domain/auth/reset-page.js';
import { formPage } from '../../shared/http/html.js';
import * as z from 'zod/mini';

export const register = /* @__PURE__ */ httpRoute(contract.register, ({ body }) => auth.register(body));

// The client address API Gateway saw: the throttle counts attempts per email and address.
export const login = /* @__PURE__ */ httpRoute(contract.login, ({ body, event }) => auth.login(body, event.requestContext.http.sourceIp));

export const refresh = /* @__PURE__ */ httpRoute(contract.refresh, ({ body }) => auth.refresh(body.refresh_token));

export const logout = /* @__PURE__ */ httpRoute(contract.logout, async ({ body }) => {
  await auth.logout(body.refresh_token);
  return noContent();
});

export const requestPasswordReset = /* @__PURE__ */ httpRoute(contract.requestPasswordReset, async ({ body }) => {
  await auth.requestPasswordReset(body.email);
  return new Reply(202, undefined);
});

export const confirmPasswordReset = /* @__PURE__ */ httpRoute(contract.confirmPasswordReset, async ({ body }) => {
  await auth.confirmPasswordReset(body.token, body.new_password);
  return noContent();
});

const html = 'text/html; charset=utf-8';
/** The pages carry the reset token: no cache may keep them. */
const noStore = { 'cache-control': 'no-store' };

export const resetPasswordPage = /* @__PURE__ */ httpRoute(contract.resetPasswordPage, async ({ query }) => {
  if (!(await auth.resetTokenUsable(query.token))) throw ResetTokenInvalid();
  return rawReply(resetFormPage({ token: query.token }), html, noStore);
}, { page: formPage });

/** The form's answer: the same rules as the JSON route; a refusal shows the form again with the reason. */
export const resetPasswordForm = /* @__PURE__ */ httpRoute(contract.resetPasswordForm, async ({ body }) => {
  // The token first: only a usable one ever goes back into a page.
  if (!(await auth.resetTokenUsable(body.token))) throw ResetTokenInvalid();
  const again = (error: string) => rawReply(resetFormPage({ token: body.token, error }), html, { ...noStore, 'x-problem-code': 'VALIDATION_FAILED' }, 422);
  if (!z.safeParse(Password, body.new_password).success) return again('The password must be 8 to 128 characters long.');
  if (body.new_password !== body.confirm_password) return again('The two passwords differ; type the same one twice.');
  await auth.confirmPasswordReset(body.token, body.new_password);
  return rawReply(resetDonePage(), html, noStore);
}, { page: formPage });

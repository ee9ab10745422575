// Sign-up, sign-in, tokens and password reset.
import * as contract from '../../shared/contract/auth.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as auth from '../../shared/domain/auth/service.js';
import { Reply } from '../../shared/http/route.js';

export const register = /* @__PURE__ */ httpRoute(contract.register, ({ body }) => auth.register(body));

export const login = /* @__PURE__ */ httpRoute(contract.login, ({ body }) => auth.login(body));

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

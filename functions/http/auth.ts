// Sign-up, sign-in, tokens and password reset.
import { auth as contract } from '../../shared/contract/index.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as auth from '../../shared/domain/auth/service.js';
import { Reply } from '../../shared/http/route.js';

export const register = httpRoute(contract.register, ({ body }) => auth.register(body));

export const login = httpRoute(contract.login, ({ body }) => auth.login(body));

export const refresh = httpRoute(contract.refresh, ({ body }) => auth.refresh(body.refresh_token));

export const logout = httpRoute(contract.logout, async ({ body }) => {
  await auth.logout(body.refresh_token);
  return noContent();
});

export const requestPasswordReset = httpRoute(contract.requestPasswordReset, async ({ body }) => {
  await auth.requestPasswordReset(body.email);
  return new Reply(202, undefined);
});

export const confirmPasswordReset = httpRoute(contract.confirmPasswordReset, async ({ body }) => {
  await auth.confirmPasswordReset(body.token, body.new_password);
  return noContent();
});

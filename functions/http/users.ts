// The signed-in user's account, and superuser administration.
import * as contract from '../../shared/contract/users.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as users from '../../shared/domain/users/service.js';

export const getMe = /* @__PURE__ */ httpRoute(contract.getMe, ({ caller }) => caller.user);

export const updateMe = /* @__PURE__ */ httpRoute(contract.updateMe, ({ caller, body, ifMatch }) => users.updateProfile(caller, body, ifMatch));

export const changePassword = /* @__PURE__ */ httpRoute(contract.changePassword, async ({ caller, body, ifMatch }) => {
  await users.changePassword(caller, body.current_password, body.new_password, ifMatch);
  return noContent();
});

export const updatePreferences = /* @__PURE__ */ httpRoute(contract.updatePreferences, ({ caller, body, ifMatch }) => users.updatePreferences(caller, body, ifMatch));

export const listUsers = /* @__PURE__ */ httpRoute(contract.listUsers, ({ query }) => users.listUsers(query.limit, query.cursor));

export const getUser = /* @__PURE__ */ httpRoute(contract.getUser, ({ params }) => users.getUser(params.id));

export const deactivateUser = /* @__PURE__ */ httpRoute(contract.deactivateUser, async ({ caller, params, ifMatch }) => {
  await users.setActive(caller, params.id, false, ifMatch);
  return noContent();
});

export const activateUser = /* @__PURE__ */ httpRoute(contract.activateUser, async ({ caller, params, ifMatch }) => {
  await users.setActive(caller, params.id, true, ifMatch);
  return noContent();
});

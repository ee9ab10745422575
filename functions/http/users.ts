// The signed-in user's account, and superuser administration.
import { users as contract } from '../../shared/contract/index.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as users from '../../shared/domain/users/service.js';

export const getMe = httpRoute(contract.getMe, ({ caller }) => caller.user);

export const updateMe = httpRoute(contract.updateMe, ({ caller, body }) => users.updateProfile(caller, body));

export const changePassword = httpRoute(contract.changePassword, async ({ caller, body }) => {
  await users.changePassword(caller, body.current_password, body.new_password);
  return noContent();
});

export const updatePreferences = httpRoute(contract.updatePreferences, ({ caller, body }) => users.updatePreferences(caller, body));

export const listUsers = httpRoute(contract.listUsers, ({ query }) => users.listUsers(query.limit, query.cursor));

export const getUser = httpRoute(contract.getUser, ({ params }) => users.getUser(params.id));

export const deactivateUser = httpRoute(contract.deactivateUser, async ({ caller, params }) => {
  await users.setActive(caller, params.id, false);
  return noContent();
});

export const activateUser = httpRoute(contract.activateUser, async ({ caller, params }) => {
  await users.setActive(caller, params.id, true);
  return noContent();
});

// Members of a workspace.
import * as contract from '../../shared/contract/workspaces.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as workspaces from '../../shared/domain/workspaces/service.js';

export const listMembers = /* @__PURE__ */ httpRoute(contract.listMembers, ({ scope, query }) => workspaces.listMembers(scope, query.limit, query.cursor));

export const addMember = /* @__PURE__ */ httpRoute(contract.addMember, ({ caller, scope, body }) => workspaces.addMember(caller, scope, body));

export const getMember = /* @__PURE__ */ httpRoute(contract.getMember, ({ scope, params }) => workspaces.getMember(scope, params.user_id));

export const updateMember = /* @__PURE__ */ httpRoute(contract.updateMember, ({ caller, scope, params, body }) => workspaces.changeRole(caller, scope, params.user_id, body.role));

export const removeMember = /* @__PURE__ */ httpRoute(contract.removeMember, async ({ caller, scope, params }) => {
  await workspaces.removeMember(caller, scope, params.user_id);
  return noContent();
});

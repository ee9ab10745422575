// Members of a workspace.
import * as contract from '../../shared/contract/workspaces.js';
import { createHash } from 'node:crypto';
import { httpRoute, noContent, Reply } from '../../shared/http/route.js';
import * as workspaces from '../../shared/domain/workspaces/service.js';

/**
 * A member answer carries the user's email and name, which the membership's version does not
 * track (the user changes them). The ETag covers them too, so a rename is never answered 304.
 */
const withUserTag = (view: Awaited<ReturnType<typeof workspaces.getMember>>, status = 200) => {
  const user = createHash('sha1').update(`${view.email}\u0000${view.full_name}`).digest('base64url').slice(0, 12);
  return new Reply(status, view, { headers: { etag: `"${view.id}.${user}.v${view.version}"` } });
};

export const listMembers = /* @__PURE__ */ httpRoute(contract.listMembers, ({ scope, query }) => workspaces.listMembers(scope, query.limit, query.cursor));

export const addMember = /* @__PURE__ */ httpRoute(contract.addMember, async ({ caller, scope, body }) => withUserTag(await workspaces.addMember(caller, scope, body), 201));

export const getMember = /* @__PURE__ */ httpRoute(contract.getMember, async ({ scope, params }) => withUserTag(await workspaces.getMember(scope, params.user_id)));

export const updateMember = /* @__PURE__ */ httpRoute(contract.updateMember, async ({ caller, scope, params, body, ifMatch }) =>
  withUserTag(await workspaces.changeRole(caller, scope, params.user_id, body.role, ifMatch)));

export const removeMember = /* @__PURE__ */ httpRoute(contract.removeMember, async ({ caller, scope, params, ifMatch }) => {
  await workspaces.removeMember(caller, scope, params.user_id, ifMatch);
  return noContent();
});

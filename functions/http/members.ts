// Members of a workspace.
import * as contract from '../../shared/contract/workspaces.js';
import { createHash } from 'node:crypto';
import { httpRoute, noContent, Reply } from '../../shared/http/route.js';
import * as workspaces from '../../shared/domain/workspaces/service.js';

/**
 * A member answer carries the user's email and name, which the membership's version does not
 * track (the user changes them). The ETag covers them too, so a rename is never answered 304.
 */
const withUserTag = (view: Awaited<ReturnType<typeof workspaces.getMember>>) => {
  const user = createHash('sha1').update(`${view.email}\u0000${view.full_name}`).digest('base64url').slice(0, 12);
  return new Reply(200, view, { headers: { etag: `"${view.id}.${user}.v${view.version}"` } });
};

export const listMembers = /* @__PURE__ */ httpRoute(contract.listMembers, ({ scope, query }) => workspaces.listMembers(scope, query.limit, query.cursor));

export const addMember = /* @__PURE__ */ httpRoute(contract.addMember, ({ caller, scope, body }) => workspaces.addMember(caller, scope, body));

export const getMember = /* @__PURE__ */ httpRoute(contract.getMember, async ({ scope, params }) => withUserTag(await workspaces.getMember(scope, params.user_id)));

export const updateMember = /* @__PURE__ */ httpRoute(contract.updateMember, ({ caller, scope, params, body }) => workspaces.changeRole(caller, scope, params.user_id, body.role));

export const removeMember = /* @__PURE__ */ httpRoute(contract.removeMember, async ({ caller, scope, params }) => {
  await workspaces.removeMember(caller, scope, params.user_id);
  return noContent();
});

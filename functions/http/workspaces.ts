// Workspaces: mine, by slug, create, read, change, delete.
import * as contract from '../../shared/contract/workspaces.js';
import { httpRoute, noContent, Reply } from '../../shared/http/route.js';
import * as workspaces from '../../shared/domain/workspaces/service.js';

/**
 * A workspace answer carries the caller's role, which the workspace's version does not track
 * (a role changes on the membership). The ETag names the role too, so a changed role is never
 * answered 304; it still ends in `.v<version>`, so it works as If-Match.
 */
const withRoleTag = (view: ReturnType<typeof workspaces.workspaceView>, status = 200) =>
  new Reply(status, view, { headers: { etag: `"${view.id}.${view.role}.v${view.version}"` } });

export const listWorkspaces = /* @__PURE__ */ httpRoute(contract.listWorkspaces, ({ caller, query }) => workspaces.listMine(caller, query.limit, query.cursor));

export const getWorkspaceBySlug = /* @__PURE__ */ httpRoute(contract.getWorkspaceBySlug, async ({ caller, params }) => withRoleTag(await workspaces.getBySlug(caller, params.slug)));

export const createWorkspace = /* @__PURE__ */ httpRoute(contract.createWorkspace, async ({ caller, body }) => withRoleTag(await workspaces.create(caller, body), 201));

export const getWorkspace = /* @__PURE__ */ httpRoute(contract.getWorkspace, ({ scope }) => withRoleTag(workspaces.workspaceView(scope.workspace, scope.role)));

export const updateWorkspace = /* @__PURE__ */ httpRoute(contract.updateWorkspace, async ({ scope, body, ifMatch }) => withRoleTag(await workspaces.update(scope, body, ifMatch)));

export const deleteWorkspace = /* @__PURE__ */ httpRoute(contract.deleteWorkspace, async ({ scope, ifMatch }) => {
  await workspaces.remove(scope, ifMatch);
  return noContent();
});

// Workspaces: mine, by slug, create, read, change, delete.
import * as contract from '../../shared/contract/workspaces.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as workspaces from '../../shared/domain/workspaces/service.js';

export const listWorkspaces = /* @__PURE__ */ httpRoute(contract.listWorkspaces, ({ caller, query }) => workspaces.listMine(caller, query.limit, query.cursor));

export const getWorkspaceBySlug = /* @__PURE__ */ httpRoute(contract.getWorkspaceBySlug, ({ caller, params }) => workspaces.getBySlug(caller, params.slug));

export const createWorkspace = /* @__PURE__ */ httpRoute(contract.createWorkspace, ({ caller, body }) => workspaces.create(caller, body));

export const getWorkspace = /* @__PURE__ */ httpRoute(contract.getWorkspace, ({ scope }) => workspaces.workspaceView(scope.workspace, scope.role));

export const updateWorkspace = /* @__PURE__ */ httpRoute(contract.updateWorkspace, ({ scope, body, expectedVersion }) => workspaces.update(scope, body, expectedVersion));

export const deleteWorkspace = /* @__PURE__ */ httpRoute(contract.deleteWorkspace, async ({ scope }) => {
  await workspaces.remove(scope);
  return noContent();
});

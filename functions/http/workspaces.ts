// Workspaces: mine, by slug, create, read, change, delete.
import { workspaces as contract } from '../../shared/contract/index.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as workspaces from '../../shared/domain/workspaces/service.js';

export const listWorkspaces = httpRoute(contract.listWorkspaces, ({ caller, query }) => workspaces.listMine(caller, query.limit, query.cursor));

export const getWorkspaceBySlug = httpRoute(contract.getWorkspaceBySlug, ({ caller, params }) => workspaces.getBySlug(caller, params.slug));

export const createWorkspace = httpRoute(contract.createWorkspace, ({ caller, body }) => workspaces.create(caller, body));

export const getWorkspace = httpRoute(contract.getWorkspace, ({ scope }) => workspaces.workspaceView(scope.workspace, scope.role));

export const updateWorkspace = httpRoute(contract.updateWorkspace, ({ scope, body, expectedVersion }) => workspaces.update(scope, body, expectedVersion));

export const deleteWorkspace = httpRoute(contract.deleteWorkspace, async ({ scope }) => {
  await workspaces.remove(scope);
  return noContent();
});

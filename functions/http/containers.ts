// Containers: the catalog lifecycle (shared/domain/catalog) through the routes of shared/contract/containers.ts.
import * as contract from '../../shared/contract/containers.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { containers } from '../../shared/domain/containers/service.js';

export const listContainers = /* @__PURE__ */ httpRoute(contract.listContainers, ({ scope, query }) => containers.list(scope, query));

export const getContainer = /* @__PURE__ */ httpRoute(contract.getContainer, ({ scope, params }) => containers.get(scope, params.id), { prefetch: containers.prefetch });

export const createContainer = /* @__PURE__ */ httpRoute(contract.createContainer, ({ scope, caller, body }) => containers.create(scope, caller.user.id, body));

export const updateContainer = /* @__PURE__ */ httpRoute(contract.updateContainer, ({ scope, caller, params, body, ifMatch }) =>
  containers.update(scope, caller.user.id, params.id, body, ifMatch));

export const archiveContainer = /* @__PURE__ */ httpRoute(contract.archiveContainer, async ({ scope, caller, params, ifMatch }) => {
  await containers.archive(scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreContainer = /* @__PURE__ */ httpRoute(contract.restoreContainer, async ({ scope, caller, params, ifMatch }) => {
  await containers.restore(scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const deleteContainer = /* @__PURE__ */ httpRoute(contract.deleteContainer, async ({ scope, caller, params, ifMatch }) => {
  await containers.remove(scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

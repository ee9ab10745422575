// Containers: the catalog lifecycle (shared/domain/catalog) through the routes of shared/contract/containers.ts.
import * as contract from '../../shared/contract/containers.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { cachedBy } from '../../shared/http/list-cache.js';
import * as catalog from '../../shared/domain/catalog/operations.js';
import { containers } from '../../shared/domain/containers/service.js';

export const listContainers = /* @__PURE__ */ httpRoute(contract.listContainers, ({ scope, query }) => catalog.list(containers, scope, query), { listCache: /* @__PURE__ */ cachedBy('CONTAINER') });

export const getContainer = /* @__PURE__ */ httpRoute(contract.getContainer, ({ scope, params }) => catalog.get(containers, scope, params.id), { prefetch: containers });

export const createContainer = /* @__PURE__ */ httpRoute(contract.createContainer, ({ scope, caller, body }) => catalog.create(containers, scope, caller.user.id, body));

export const updateContainer = /* @__PURE__ */ httpRoute(contract.updateContainer, ({ scope, caller, params, body, ifMatch }) =>
  catalog.update(containers, scope, caller.user.id, params.id, body, ifMatch));

export const archiveContainer = /* @__PURE__ */ httpRoute(contract.archiveContainer, async ({ scope, caller, params, ifMatch }) => {
  await catalog.archive(containers, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreContainer = /* @__PURE__ */ httpRoute(contract.restoreContainer, async ({ scope, caller, params, ifMatch }) => {
  await catalog.restore(containers, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const deleteContainer = /* @__PURE__ */ httpRoute(contract.deleteContainer, async ({ scope, caller, params, ifMatch }) => {
  await catalog.remove(containers, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

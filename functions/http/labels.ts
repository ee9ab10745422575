// Labels: the catalog lifecycle (shared/domain/catalog) through the routes of shared/contract/labels.ts.
import * as contract from '../../shared/contract/labels.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { cachedBy } from '../../shared/http/list-cache.js';
import * as catalog from '../../shared/domain/catalog/operations.js';
import { labels } from '../../shared/domain/labels/service.js';

export const listLabels = /* @__PURE__ */ httpRoute(contract.listLabels, ({ scope, query }) => catalog.list(labels, scope, query), { listCache: /* @__PURE__ */ cachedBy('LABEL') });

export const getLabel = /* @__PURE__ */ httpRoute(contract.getLabel, ({ scope, params }) => catalog.get(labels, scope, params.id), { prefetch: labels });

export const createLabel = /* @__PURE__ */ httpRoute(contract.createLabel, ({ scope, caller, body }) => catalog.create(labels, scope, caller.user.id, body));

export const updateLabel = /* @__PURE__ */ httpRoute(contract.updateLabel, ({ scope, caller, params, body, ifMatch }) =>
  catalog.update(labels, scope, caller.user.id, params.id, body, ifMatch));

export const archiveLabel = /* @__PURE__ */ httpRoute(contract.archiveLabel, async ({ scope, caller, params, ifMatch }) => {
  await catalog.archive(labels, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreLabel = /* @__PURE__ */ httpRoute(contract.restoreLabel, async ({ scope, caller, params, ifMatch }) => {
  await catalog.restore(labels, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const deleteLabel = /* @__PURE__ */ httpRoute(contract.deleteLabel, async ({ scope, caller, params, ifMatch }) => {
  await catalog.remove(labels, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

// Labels: the catalog lifecycle (shared/domain/catalog) through the routes of shared/contract/labels.ts.
import * as contract from '../../shared/contract/labels.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { labels } from '../../shared/domain/labels/service.js';

export const listLabels = /* @__PURE__ */ httpRoute(contract.listLabels, ({ scope, query }) => labels.list(scope, query));

export const getLabel = /* @__PURE__ */ httpRoute(contract.getLabel, ({ scope, params }) => labels.get(scope, params.id), { prefetch: labels.prefetch });

export const createLabel = /* @__PURE__ */ httpRoute(contract.createLabel, ({ scope, caller, body }) => labels.create(scope, caller.user.id, body));

export const updateLabel = /* @__PURE__ */ httpRoute(contract.updateLabel, ({ scope, caller, params, body, ifMatch }) =>
  labels.update(scope, caller.user.id, params.id, body, ifMatch));

export const archiveLabel = /* @__PURE__ */ httpRoute(contract.archiveLabel, async ({ scope, caller, params, ifMatch }) => {
  await labels.archive(scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreLabel = /* @__PURE__ */ httpRoute(contract.restoreLabel, async ({ scope, caller, params, ifMatch }) => {
  await labels.restore(scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const deleteLabel = /* @__PURE__ */ httpRoute(contract.deleteLabel, async ({ scope, caller, params, ifMatch }) => {
  await labels.remove(scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

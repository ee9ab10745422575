// Locations: the catalog lifecycle (shared/domain/catalog) through the routes of shared/contract/locations.ts.
import * as contract from '../../shared/contract/locations.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { cachedBy } from '../../shared/http/list-cache.js';
import * as catalog from '../../shared/domain/catalog/operations.js';
import { locations } from '../../shared/domain/locations/service.js';
import { breadcrumb } from '../../shared/domain/locations/service.js';

export const listLocations = /* @__PURE__ */ httpRoute(contract.listLocations, ({ scope, query }) => catalog.list(locations, scope, query), { listCache: /* @__PURE__ */ cachedBy('LOCATION') });

export const getLocation = /* @__PURE__ */ httpRoute(contract.getLocation, ({ scope, params }) => catalog.get(locations, scope, params.id), { prefetch: locations });

export const createLocation = /* @__PURE__ */ httpRoute(contract.createLocation, ({ scope, caller, body }) => catalog.create(locations, scope, caller.user.id, body));

export const updateLocation = /* @__PURE__ */ httpRoute(contract.updateLocation, ({ scope, caller, params, body, ifMatch }) =>
  catalog.update(locations, scope, caller.user.id, params.id, body, ifMatch));

export const archiveLocation = /* @__PURE__ */ httpRoute(contract.archiveLocation, async ({ scope, caller, params, ifMatch }) => {
  await catalog.archive(locations, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreLocation = /* @__PURE__ */ httpRoute(contract.restoreLocation, async ({ scope, caller, params, ifMatch }) => {
  await catalog.restore(locations, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const deleteLocation = /* @__PURE__ */ httpRoute(contract.deleteLocation, async ({ scope, caller, params, ifMatch }) => {
  await catalog.remove(locations, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const getLocationBreadcrumb = /* @__PURE__ */ httpRoute(contract.getLocationBreadcrumb, ({ scope, params }) => breadcrumb(scope, params.id));

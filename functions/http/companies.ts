// Companies: the catalog lifecycle (shared/domain/catalog) through the routes of shared/contract/companies.ts.
import * as contract from '../../shared/contract/companies.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { cachedBy } from '../../shared/http/list-cache.js';
import * as catalog from '../../shared/domain/catalog/operations.js';
import { companies } from '../../shared/domain/companies/service.js';

export const listCompanies = /* @__PURE__ */ httpRoute(contract.listCompanies, ({ scope, query }) => catalog.list(companies, scope, query), { listCache: /* @__PURE__ */ cachedBy('COMPANY') });

export const getCompany = /* @__PURE__ */ httpRoute(contract.getCompany, ({ scope, params }) => catalog.get(companies, scope, params.id), { prefetch: companies });

export const createCompany = /* @__PURE__ */ httpRoute(contract.createCompany, ({ scope, caller, body }) => catalog.create(companies, scope, caller.user.id, body));

export const updateCompany = /* @__PURE__ */ httpRoute(contract.updateCompany, ({ scope, caller, params, body, ifMatch }) =>
  catalog.update(companies, scope, caller.user.id, params.id, body, ifMatch));

export const archiveCompany = /* @__PURE__ */ httpRoute(contract.archiveCompany, async ({ scope, caller, params, ifMatch }) => {
  await catalog.archive(companies, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreCompany = /* @__PURE__ */ httpRoute(contract.restoreCompany, async ({ scope, caller, params, ifMatch }) => {
  await catalog.restore(companies, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const deleteCompany = /* @__PURE__ */ httpRoute(contract.deleteCompany, async ({ scope, caller, params, ifMatch }) => {
  await catalog.remove(companies, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

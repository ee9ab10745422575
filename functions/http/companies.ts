// Companies: the catalog lifecycle (shared/domain/catalog) through the routes of shared/contract/companies.ts.
import * as contract from '../../shared/contract/companies.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { companies } from '../../shared/domain/companies/service.js';

export const listCompanies = /* @__PURE__ */ httpRoute(contract.listCompanies, ({ scope, query }) => companies.list(scope, query));

export const getCompany = /* @__PURE__ */ httpRoute(contract.getCompany, ({ scope, params }) => companies.get(scope, params.id), { prefetch: companies.prefetch });

export const createCompany = /* @__PURE__ */ httpRoute(contract.createCompany, ({ scope, caller, body }) => companies.create(scope, caller.user.id, body));

export const updateCompany = /* @__PURE__ */ httpRoute(contract.updateCompany, ({ scope, caller, params, body, ifMatch }) =>
  companies.update(scope, caller.user.id, params.id, body, ifMatch));

export const archiveCompany = /* @__PURE__ */ httpRoute(contract.archiveCompany, async ({ scope, caller, params, ifMatch }) => {
  await companies.archive(scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const restoreCompany = /* @__PURE__ */ httpRoute(contract.restoreCompany, async ({ scope, caller, params, ifMatch }) => {
  await companies.restore(scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const deleteCompany = /* @__PURE__ */ httpRoute(contract.deleteCompany, async ({ scope, caller, params, ifMatch }) => {
  await companies.remove(scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

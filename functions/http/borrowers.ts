// Borrowers: the catalog lifecycle (shared/domain/catalog) through the routes of shared/contract/borrowers.ts.
import * as contract from '../../shared/contract/borrowers.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import { cachedBy } from '../../shared/http/list-cache.js';
import * as catalog from '../../shared/domain/catalog/operations.js';
import { borrowers } from '../../shared/domain/borrowers/service.js';

export const listBorrowers = /* @__PURE__ */ httpRoute(contract.listBorrowers, ({ scope, query }) => catalog.list(borrowers, scope, query), { listCache: /* @__PURE__ */ cachedBy('BORROWER') });

export const getBorrower = /* @__PURE__ */ httpRoute(contract.getBorrower, ({ scope, params }) => catalog.get(borrowers, scope, params.id), { prefetch: borrowers });

export const createBorrower = /* @__PURE__ */ httpRoute(contract.createBorrower, ({ scope, caller, body }) => catalog.create(borrowers, scope, caller.user.id, body));

export const updateBorrower = /* @__PURE__ */ httpRoute(contract.updateBorrower, ({ scope, caller, params, body, ifMatch }) =>
  catalog.update(borrowers, scope, caller.user.id, params.id, body, ifMatch));

export const restoreBorrower = /* @__PURE__ */ httpRoute(contract.restoreBorrower, async ({ scope, caller, params, ifMatch }) => {
  await catalog.restore(borrowers, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

export const deleteBorrower = /* @__PURE__ */ httpRoute(contract.deleteBorrower, async ({ scope, caller, params, ifMatch }) => {
  await catalog.remove(borrowers, scope, caller.user.id, params.id, ifMatch);
  return noContent();
});

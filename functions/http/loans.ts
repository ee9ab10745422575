// Loans: lend, take back, extend, and the lists (all, open by due date, overdue, a borrower's, a row's).
import * as contract from '../../shared/contract/loans.js';
import { idempotency } from '../../shared/http/idempotency.js';
import { httpRoute } from '../../shared/http/route.js';
import * as loans from '../../shared/domain/loans/service.js';

export const listLoans = /* @__PURE__ */ httpRoute(contract.listLoans, ({ scope, query }) => loans.listAll(scope, query));

export const listActiveLoans = /* @__PURE__ */ httpRoute(contract.listActiveLoans, ({ scope, query }) => loans.listActive(scope, query));

export const listOverdueLoans = /* @__PURE__ */ httpRoute(contract.listOverdueLoans, ({ scope, query }) => loans.listOverdue(scope, query));

export const getLoan = /* @__PURE__ */ httpRoute(contract.getLoan, ({ scope, params }) => loans.get(scope, params.id), { prefetch: loans.loans });

export const createLoan = /* @__PURE__ */ httpRoute(contract.createLoan, ({ scope, caller, body }) => loans.create(scope, caller.user.id, body), { idempotency });

export const returnLoan = /* @__PURE__ */ httpRoute(contract.returnLoan, ({ scope, caller, params, ifMatch }) => loans.giveBack(scope, caller.user.id, params.id, ifMatch));

export const extendLoan = /* @__PURE__ */ httpRoute(contract.extendLoan, ({ scope, caller, params, body, ifMatch }) =>
  loans.extend(scope, caller.user.id, params.id, body.new_due_date, ifMatch));

export const listBorrowerLoans = /* @__PURE__ */ httpRoute(contract.listBorrowerLoans, ({ scope, params, query }) => loans.listOfBorrower(scope, params.borrower_id, query));

export const listInventoryLoans = /* @__PURE__ */ httpRoute(contract.listInventoryLoans, ({ scope, params, query }) => loans.listOfRow(scope, params.inventory_id, query));

// Loans: part or all of an inventory row lent to a borrower, maybe until a due date. Returned, a
// loan stays (its history); it is never deleted. Every answer carries the item's and the
// borrower's names, so a list needs no further calls.
import * as z from 'zod/mini';
import { ClientId, DateOut, entityMeta, example, IdOut, IntOut, named, pageOf, PageQuery, TimestampOut, Uuid, WorkspaceParams } from './common.js';
import { document, route } from './route.js';
import { calendarDate, instantText, integer, multiLine } from './text.js';

export const Loan = /* @__PURE__ */ named('Loan', z.object({
  id: IdOut,
  workspace_id: IdOut,
  inventory_id: IdOut,
  item_id: IdOut,
  item_name: z.string(),
  borrower_id: IdOut,
  borrower_name: z.string(),
  quantity: IntOut,
  loaned_at: TimestampOut,
  due_date: z.optional(DateOut),
  returned_at: z.optional(TimestampOut),
  notes: z.optional(z.string()),
  is_active: z.boolean(),
  is_overdue: z.boolean(),
  ...entityMeta,
}), 'Part or all of an inventory row lent to a borrower. Overdue: open, with a due date before today (UTC); due on its due day is not overdue.');

const loanExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000004001', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', inventory_id: '0193a5e2-7c1a-7b3e-9f00-000000002001',
  item_id: '0193a5e2-7c1a-7b3e-9f00-000000001001', item_name: 'Cordless drill', borrower_id: '0193a5e2-7c1a-7b3e-9f00-000000000f01',
  borrower_name: 'Grace Hopper', quantity: 1, loaned_at: '2026-11-26T09:00:00.000Z', due_date: '2026-12-10', notes: 'with both batteries',
  is_active: true, is_overdue: false, created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};
DOCS: example(Loan, loanExample);

const LoanParams = /* @__PURE__ */ z.object({ workspace_id: Uuid, id: Uuid });

export const listLoans = /* @__PURE__ */ route({
  id: 'listLoans', method: 'GET', path: '/workspaces/{workspace_id}/loans', domain: 'loans', access: 'viewer',
  summary: 'Every loan of the workspace, returned ones included, newest first', params: WorkspaceParams, query: PageQuery, response: pageOf(Loan), status: 200,
});

export const listActiveLoans = /* @__PURE__ */ route({
  id: 'listActiveLoans', method: 'GET', path: '/workspaces/{workspace_id}/loans/active', domain: 'loans', access: 'viewer',
  summary: 'The loans not yet returned, earliest due first, undated ones last', params: WorkspaceParams, query: PageQuery, response: pageOf(Loan), status: 200,
});

export const listOverdueLoans = /* @__PURE__ */ route({
  id: 'listOverdueLoans', method: 'GET', path: '/workspaces/{workspace_id}/loans/overdue', domain: 'loans', access: 'viewer',
  summary: 'The loans not yet returned whose due date is before today (UTC), earliest due first', params: WorkspaceParams, query: PageQuery,
  response: pageOf(Loan), status: 200,
});

export const getLoan = /* @__PURE__ */ route({
  id: 'getLoan', method: 'GET', path: '/workspaces/{workspace_id}/loans/{id}', domain: 'loans', access: 'viewer',
  summary: 'One loan', params: LoanParams, response: Loan, status: 200, errors: ['NOT_FOUND'],
});

export const createLoan = /* @__PURE__ */ route({
  id: 'createLoan', method: 'POST', path: '/workspaces/{workspace_id}/loans', domain: 'loans', access: 'member',
  summary: 'Lend part or all of an inventory row',
  description: 'What is out on open loans of a row never exceeds its quantity (checked in the loan\'s own transaction). The row answers `available_quantity` accordingly, and its status becomes `ON_LOAN` while nothing is left.',
  params: WorkspaceParams,
  body: z.strictObject({
    id: z.optional(ClientId),
    inventory_id: Uuid,
    borrower_id: Uuid,
    quantity: z.optional(integer(1, 1000)),
    loaned_at: z.optional(instantText()),
    due_date: z.optional(z.nullable(calendarDate())),
    notes: z.optional(z.nullable(multiLine({ max: 2000 }))),
  }),
  response: Loan, status: 201, location: '/workspaces/{workspace_id}/loans/{id}', replayable: true, idempotent: true,
  errors: ['REFERENCE_NOT_FOUND', 'LOAN_QUANTITY_EXCEEDS_AVAILABLE', 'INVENTORY_NOT_LENDABLE', 'BORROWER_ARCHIVED', 'DUE_DATE_BEFORE_LOAN', 'RESOURCE_BUSY'],
});
DOCS: document(createLoan, { body: { inventory_id: loanExample.inventory_id, borrower_id: loanExample.borrower_id, quantity: 1, due_date: '2026-12-10' }, response: loanExample });

export const returnLoan = /* @__PURE__ */ route({
  id: 'returnLoan', method: 'POST', path: '/workspaces/{workspace_id}/loans/{id}/return', domain: 'loans', access: 'member', conditional: true,
  summary: 'Take a loan back: what it held is available again', params: LoanParams, response: Loan, status: 200,
  errors: ['NOT_FOUND', 'LOAN_ALREADY_RETURNED', 'RESOURCE_BUSY'],
});

export const extendLoan = /* @__PURE__ */ route({
  id: 'extendLoan', method: 'PATCH', path: '/workspaces/{workspace_id}/loans/{id}/extend', domain: 'loans', access: 'member', conditional: true,
  summary: 'Move an open loan\'s due date', params: LoanParams, body: z.strictObject({ new_due_date: calendarDate() }), response: Loan, status: 200,
  errors: ['NOT_FOUND', 'LOAN_ALREADY_RETURNED', 'DUE_DATE_BEFORE_LOAN', 'RESOURCE_BUSY'],
});
DOCS: document(extendLoan, { body: { new_due_date: '2026-12-24' }, response: { ...loanExample, due_date: '2026-12-24', version: 2 } });

export const listBorrowerLoans = /* @__PURE__ */ route({
  id: 'listBorrowerLoans', method: 'GET', path: '/workspaces/{workspace_id}/borrowers/{borrower_id}/loans', domain: 'loans', access: 'viewer',
  summary: 'A borrower\'s loans, returned ones included, newest first', params: z.object({ workspace_id: Uuid, borrower_id: Uuid }), query: PageQuery,
  response: pageOf(Loan), status: 200, errors: ['NOT_FOUND'],
});

export const listInventoryLoans = /* @__PURE__ */ route({
  id: 'listInventoryLoans', method: 'GET', path: '/workspaces/{workspace_id}/inventory/{inventory_id}/loans', domain: 'loans', access: 'viewer',
  summary: 'An inventory row\'s loans, returned ones included, newest first', params: z.object({ workspace_id: Uuid, inventory_id: Uuid }), query: PageQuery,
  response: pageOf(Loan), status: 200, errors: ['NOT_FOUND'],
});

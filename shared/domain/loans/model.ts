// A loan: some of an inventory row lent to a borrower, maybe until a due date. Declared on the
// catalog engine: the row counts its loans and adds up what is out (`on_loan`), the borrower adds
// up what they hold (`loaned_quantity`, which refuses their archive), both in the loan's own
// transaction. A returned loan is stored archived: it stops counting, leaves the open lists and
// keeps its history (loans are never deleted). While open it sits in two sparse indexes: the
// workspace's open loans by due date, and (dated ones) the reminder job's index by due day.
import * as keys from '../../db/keys.js';
import { defineEntity } from '../catalog/model.js';

export const loanDefinition = defineEntity({
  type: 'LOAN', label: 'loan', deletes: 'never', byName: false,
  fields: ['inventory_id', 'borrower_id', 'item_id', 'quantity', 'loaned_at', 'due_date', 'notes', 'returned_at'],
  optional: ['due_date', 'notes'],
  links: [
    { field: 'inventory_id', to: 'INVENTORY', counter: 'loans', order: 'newest', sums: [{ from: 'quantity', into: 'on_loan' }] },
    { field: 'borrower_id', to: 'BORROWER', counter: 'loans', index: 'GSI3', order: 'newest', sums: [{ from: 'quantity', into: 'loaned_quantity' }] },
  ],
  indexes: (loan) => (loan.is_archived === true ? {} : {
    ...keys.openLoanIndex(loan.workspace_id as string, loan.due_date as string | undefined, loan.id as string),
    ...(typeof loan.due_date === 'string' ? keys.loansDueIndex(loan.due_date, loan.workspace_id as string, loan.id as string) : {}),
  }),
  nameFrom: { field: 'item_id', type: 'ITEM' },
  // what a return records for the analytics projections (service.ts, returnFacts): stored, never
  // shown; and its archive flag, which answers show as `is_active`
  hidden: ['days_out', 'returned_late', 'is_archived'],
  view: (loan) => ({ is_active: loan.is_archived !== true, is_overdue: isOverdue(loan) }),
});

/** Today's date in UTC (`YYYY-MM-DD`): a loan is due, not overdue, on its due day. */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

/** Open, with a due date before today (UTC). */
export const isOverdue = (loan: Record<string, unknown>, today = todayUtc()) =>
  loan.is_archived !== true && typeof loan.due_date === 'string' && loan.due_date < today;

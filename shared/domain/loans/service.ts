// Loans: lend part or all of an inventory row, take it back, move the due date, and the lists.
// Creating a loan is one transaction: the loan, the row's `on_loan` raised under the condition
// that it stays within the row's quantity as read (and the row unchanged in quantity and status),
// the borrower's `loaned_quantity` raised while they are not archived. Never read-then-write: a
// concurrent loan or change makes the condition fail, and the attempt is read again and retried.
import type { z } from 'zod/mini';
import type { Loan } from '../../contract/loans.js';
import type { WorkspaceScope } from '../../http/caller.js';
import type { IfMatch } from '../../http/conditional.js';
import type { Page } from '../../db/table.js';
import { DomainError } from '../errors.js';
import { lostRace, settleRace } from '../races.js';
import * as catalog from '../catalog/operations.js';
import type { CatalogRecord } from '../catalog/model.js';
import type { AnyEntity } from '../catalog/entity.js';
import * as engine from '../catalog/repository.js';
import { ReferenceNotFound } from '../catalog/errors.js';
import { clientIdOf, createSteps, newRecord, refusal, replayed, run, together } from '../catalog/writes.js';
import { asReplay } from '../ids.js';
import { neverDeleted } from '../catalog/create.js';
import { inventory } from '../inventory/service.js';
import { borrowers } from '../borrowers/service.js';
import { loanDefinition, todayUtc } from './model.js';
import * as repository from './repository.js';

export type LoanRecord = z.output<typeof Loan>;

export const loans = /* @__PURE__ */ catalog.entity<LoanRecord>(loanDefinition);

/** Statuses of a row nothing can be lent from. */
const unlendable = new Set(['DISPOSED', 'MISSING']);

export interface LoanInput {
  /** the client's own id (offline creates replay safely) */
  id?: string | undefined;
  inventory_id: string;
  borrower_id: string;
  quantity?: number | undefined;
  loaned_at?: string | undefined;
  due_date?: string | null | undefined;
  notes?: string | null | undefined;
}

/** The loans as answers show them: with the item's and the borrower's names (one BatchGetItem). */
async function named(workspaceId: string, records: readonly CatalogRecord[]): Promise<LoanRecord[]> {
  return repository.withNames(workspaceId, records.map((record) => catalog.present(loans, record))) as unknown as Promise<LoanRecord[]>;
}

const namedOne = async (workspaceId: string, record: CatalogRecord) => (await named(workspaceId, [record]))[0]!;
const namedPage = async (workspaceId: string, page: Page<CatalogRecord>): Promise<Page<LoanRecord>> => ({ ...page, items: await named(workspaceId, page.items) });

const bodyError = (code: ConstructorParameters<typeof DomainError>[0], message: string, field: string, detail: string) =>
  new DomainError(code, message, { errors: [{ location: `body.${field}`, message: detail }] });

function refuseDueBeforeLoan(dueDate: string | null | undefined, loanedAt: string, field: string): void {
  if (dueDate && dueDate < loanedAt.slice(0, 10)) {
    throw bodyError('DUE_DATE_BEFORE_LOAN', 'The due date is before the day the loan was made.', field, `is before ${loanedAt.slice(0, 10)}`);
  }
}

export async function create(scope: WorkspaceScope, actorId: string, input: LoanInput): Promise<LoanRecord> {
  const workspaceId = scope.workspace.id;
  const quantity = input.quantity ?? 1;
  const loanedAt = input.loaned_at ?? new Date().toISOString();
  refuseDueBeforeLoan(input.due_date, loanedAt, 'due_date');
  const clientId = clientIdOf(input);
  // A replay of a create the client made offline answers the loan as it is (it may be returned by now).
  const replay = async (found?: CatalogRecord) => asReplay(await namedOne(workspaceId, found ?? (await catalog.read(loans, scope, clientId!, true))));
  const existing = clientId ? await engine.getEntity(loans.definition, workspaceId, clientId, true) : undefined;
  if (existing) return replay(existing);
  let again = false;
  const created = await settleRace(async () => {
    const row = await engine.getEntity(inventory.definition, workspaceId, input.inventory_id, true);
    if (!row) throw ReferenceNotFound('No inventory row with that id in this workspace.', { errors: [{ location: 'body.inventory_id', message: 'is not an inventory row of this workspace' }] });
    if (row.is_archived || unlendable.has(String(row.status))) {
      throw new DomainError('INVENTORY_NOT_LENDABLE', `This row is ${row.is_archived ? 'archived' : String(row.status).toLowerCase()}: nothing of it can be lent.`);
    }
    const held = Number(row.quantity ?? 0);
    const available = held - Number(row.on_loan ?? 0);
    if (quantity > available) {
      throw bodyError('LOAN_QUANTITY_EXCEEDS_AVAILABLE', `The row has ${available} left to lend; ${quantity} asked.`, 'quantity', `is more than the ${available} left to lend`);
    }
    const borrower = await engine.getEntity(borrowers.definition, workspaceId, input.borrower_id, true);
    if (!borrower) throw ReferenceNotFound('No borrower with that id in this workspace.', { errors: [{ location: 'body.borrower_id', message: 'is not a borrower of this workspace' }] });
    if (borrower.is_archived) throw bodyError('BORROWER_ARCHIVED', 'The borrower is archived; restore them first.', 'borrower_id', 'is archived');

    const record = newRecord(loans, workspaceId, actorId, { ...input, quantity, loaned_at: loanedAt, item_id: row.item_id });
    const writes = await createSteps(loans, workspaceId, record);
    // the row as read: same quantity and status, not archived, and what is out stays within it
    for (const touch of writes.touches) {
      if (touch.type === 'INVENTORY') Object.assign(touch, { agrees: { quantity: held, status: row.status, is_archived: false }, atMost: { on_loan: held - quantity } });
      if (touch.type === 'BORROWER') Object.assign(touch, { agrees: { is_archived: false } });
    }
    const cause = await run([...together(loans, writes), { item: engine.workspaceActive(workspaceId), cause: 'workspace' }, ...neverDeleted(loans, workspaceId, clientId)], workspaceId);
    if (cause === undefined) return record;
    if (replayed(cause, clientId)) return (again = true, record); // the same create, committed meanwhile
    if (cause.startsWith('link:')) return lostRace; // the row or the borrower changed: read them again
    throw (await refusal(loans, cause, workspaceId)) ?? new Error(`create loan: unexpected cancellation at ${cause}`);
  }, { conditional: false });
  if (again) return replay();
  await repository.settleRowStatus(workspaceId, input.inventory_id, actorId);
  return namedOne(workspaceId, created);
}

/**
 * What a return records besides its time, for the analytics projections (issue 13) to count from
 * the stream's image alone: how many whole days the loan was out and whether it came back after its
 * due day (UTC, the overdue rule). Stored on the loan, not shown by the API.
 */
export function returnFacts(loan: Record<string, unknown>, now: Date) {
  const returnedAt = now.toISOString();
  const loanedAt = typeof loan.loaned_at === 'string' ? Date.parse(loan.loaned_at) : Number.NaN;
  return {
    returned_at: returnedAt,
    ...(Number.isNaN(loanedAt) ? {} : { days_out: Math.max(0, Math.floor((now.getTime() - loanedAt) / 86_400_000)) }),
    returned_late: typeof loan.due_date === 'string' && returnedAt.slice(0, 10) > loan.due_date,
  };
}

/** Takes a loan back: it stops counting on its row and borrower in the same transaction. */
export async function giveBack(scope: WorkspaceScope, actorId: string, id: string, ifMatch: IfMatch): Promise<LoanRecord> {
  const returned = await catalog.change(loans, scope, actorId, id, ifMatch, (loan) => {
    if (loan.is_archived) throw new DomainError('LOAN_ALREADY_RETURNED', 'The loan was returned already.');
    return { is_archived: true, ...returnFacts(loan, new Date()) };
  });
  await repository.settleRowStatus(scope.workspace.id, returned.inventory_id, actorId);
  return namedOne(scope.workspace.id, returned);
}

/** Moves an open loan's due date (not before the day it was made). */
export async function extend(scope: WorkspaceScope, actorId: string, id: string, dueDate: string, ifMatch: IfMatch): Promise<LoanRecord> {
  const extended = await catalog.change(loans, scope, actorId, id, ifMatch, (loan) => {
    if (loan.is_archived) throw new DomainError('LOAN_ALREADY_RETURNED', 'The loan was returned: its due date no longer matters.');
    refuseDueBeforeLoan(dueDate, loan.loaned_at as string, 'new_due_date');
    return loan.due_date === dueDate ? undefined : { due_date: dueDate };
  });
  return namedOne(scope.workspace.id, extended);
}

export const get = async (scope: WorkspaceScope, id: string) => namedOne(scope.workspace.id, await catalog.read(loans, scope, id));

export const listAll = async (scope: WorkspaceScope, query: repository.PageQuery) =>
  namedPage(scope.workspace.id, await repository.listAll(scope.workspace.id, query));

export const listActive = async (scope: WorkspaceScope, query: repository.PageQuery) =>
  namedPage(scope.workspace.id, await repository.listOpen(scope.workspace.id, query));

export const listOverdue = async (scope: WorkspaceScope, query: repository.PageQuery) =>
  namedPage(scope.workspace.id, await repository.listOpen(scope.workspace.id, query, todayUtc()));

/** A borrower's or a row's loans, newest first, returned ones included (404 for an unknown one). */
/** The loans linked through `field` to a borrower or a row, newest first, returned ones included (404 for an unknown target). */
async function loansOf(scope: WorkspaceScope, target: AnyEntity, field: string, targetId: string, query: repository.PageQuery) {
  await catalog.read(target, scope, targetId);
  const page = await catalog.listLinked(loans, scope, field, targetId, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}), include_archived: true });
  return namedPage(scope.workspace.id, page as unknown as Page<CatalogRecord>);
}

export const listOfBorrower = (scope: WorkspaceScope, borrowerId: string, query: repository.PageQuery) => loansOf(scope, borrowers, 'borrower_id', borrowerId, query);

export const listOfRow = (scope: WorkspaceScope, rowId: string, query: repository.PageQuery) => loansOf(scope, inventory, 'inventory_id', rowId, query);
